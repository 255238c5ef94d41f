import { type Translate } from '../i18n';
import type { StatusView } from '../domain/reports/report-service';
import { formatVietnamTime } from '../shared/vietnam-time';
import { LANGUAGES } from '../core/language';
import type { OutboundMessage } from '../core/chat';
import { globalPayload } from '../core/payloads';
import { caseCategory } from './presenters/case-words';

/** Messages the engine sends outside any flow step. */
export function mainMenu(t: Translate, text?: string): OutboundMessage {
  return {
    text: text ?? t('menu.prompt'),
    buttons: [
      [{ label: t('menu.report'), payload: globalPayload('menu', 'report') }],
      [{ label: t('menu.dispute'), payload: globalPayload('menu', 'dispute') }],
      [{ label: t('menu.subscribe'), payload: globalPayload('menu', 'subscribe') }],
      [
        { label: t('menu.lookup'), payload: globalPayload('menu', 'lookup') },
        { label: t('menu.help'), payload: globalPayload('menu', 'help') },
      ],
      [{ label: t('menu.language'), payload: globalPayload('menu', 'language') }],
    ],
  };
}

export function consentRequest(t: Translate, retentionMonths: number): OutboundMessage[] {
  return [
    { text: t('start.greeting') },
    {
      text: t('privacy.notice', { months: retentionMonths }),
      buttons: [
        [{ label: t('privacy.accept'), payload: globalPayload('consent', 'yes') }],
        [{ label: t('privacy.decline'), payload: globalPayload('consent', 'no') }],
      ],
    },
  ];
}

export function languageChoice(t: Translate): OutboundMessage {
  return {
    text: t('language.prompt'),
    // Each language is named in itself, so a resident can find theirs whatever the current one is.
    buttons: [LANGUAGES.map((lang) => ({ label: t(`language.name_${lang}`), payload: globalPayload('lang', lang) }))],
  };
}

export function forgetConfirmation(t: Translate): OutboundMessage {
  return {
    text: t('forget.confirm'),
    buttons: [
      [{ label: t('forget.yes'), payload: globalPayload('forget', 'yes') }],
      [{ label: t('forget.no'), payload: globalPayload('forget', 'no') }],
    ],
  };
}

export function statusMessage(t: Translate, lang: string, view: StatusView | null, typed: string): OutboundMessage {
  if (!view) return { text: t('lookup.not_found', { code: typed.slice(0, 20) }) };
  const history = view.history.map((h) => `• ${formatVietnamTime(h.at, lang)}: ${t(`status.${h.status}`)}`).join('\n');
  // What the closing notice said, so the resident can look it up again later.
  const result = view.outcome ? t(`outcome.${view.outcome}`) : view.mediationResult ? t(`status.${view.mediationResult}`) : null;
  return {
    text: t(view.kind === 'dispute' ? 'lookup.result_dispute' : 'lookup.result', {
      code: view.code,
      category: caseCategory(t, view.kind, view.category),
      received: formatVietnamTime(view.createdAt, lang),
      status: t(`status.${view.status}`),
      explanation: t(`status.${view.status}_explained`),
      outcome: result ? `\n${t('lookup.outcome', { outcome: result })}` : '',
      history,
    }),
  };
}
