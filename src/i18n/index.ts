import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../core/language';


export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * Loads `locales/<lang>/translation.json` for every language into an i18next
 * instance of our own (not the global one), synchronously, at start-up.
 */
export function createI18n(localesDir: string): { forLanguage(lang: Language): Translate; instance: i18n } {
  const resources = Object.fromEntries(
    LANGUAGES.map((lang) => [
      lang,
      { translation: JSON.parse(readFileSync(path.join(localesDir, lang, 'translation.json'), 'utf8')) as Record<string, unknown> },
    ]),
  );
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LANGUAGES.map((lang) => [lang, instance.getFixedT(lang)]));
  return {
    instance,
    forLanguage: (lang) => {
      const t = fixed.get(lang) ?? instance.getFixedT(DEFAULT_LANGUAGE);
      return (key, vars) => t(key, vars ?? {});
    },
  };
}
