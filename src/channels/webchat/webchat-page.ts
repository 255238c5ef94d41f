import type { Language } from '../../core/language';
import type { Translate } from '../../i18n';

/**
 * The web chat page in one language: its words from the locales, escaped
 * into the HTML, and the page script's strings in a JSON block (no inline
 * script, so the Content-Security-Policy can forbid them).
 */
export function renderPage(template: string, lang: Language, t: Translate, maxUploadBytes: number, local: boolean): string {
  const keys = ['title', 'placeholder', 'send', 'attach', 'attach_label', 'emergency', 'switch_language', 'connection_lost', 'uploading', 'map_pin', 'share_location', 'location_failed', 'locate_label', 'phone_label', 'phone_send', 'phone_placeholder'];
  const strings: Record<string, string> = Object.fromEntries(keys.map((k) => [k, t(`webchat.${k}`)]));
  strings.subtitle = t(local ? 'webchat.subtitle_local' : 'webchat.subtitle');
  // The bot's own words for a file over the limit: the page says them before sending (or when the server refuses it).
  strings.upload_too_large = t('tip.evidence.too_large', { max: Math.floor(maxUploadBytes / (1024 * 1024)) });
  const json = JSON.stringify({ lang, strings, maxUploadBytes }).replace(/</g, '\\u003c');
  return template
    .replace(/\{\{lang\}\}/g, lang)
    .replace(/\{\{(\w+)\}\}/g, (_m, key: string) => escapeHtml(strings[key] ?? ''))
    .replace('/*BOOTSTRAP*/', json);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
