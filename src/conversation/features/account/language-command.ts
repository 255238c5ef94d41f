import { foldVietnamese } from '../../../shared/text';
import type { Language } from '../../../core/language';
import { languageChoice } from '../../messages';
import type { Command } from '../../registry/command';
import { useLanguage } from './account-buttons';
import type { AccountDeps } from './deps';
import { ownEntry } from '../../../shared/lookup';

/** Words for each language, as typed after /ngonngu. */
const LANGUAGE_WORDS: Record<string, Language> = { vi: 'vi', 'tieng viet': 'vi', vietnamese: 'vi', en: 'en', 'tieng anh': 'en', english: 'en' };

/**
 * /ngonngu [vi|en] (/language): choose Vietnamese or English, with buttons or
 * at once. In a desk group, where buttons are not taken, the language is typed.
 */
export const languageCommand: Command<AccountDeps> = {
  id: 'language',
  names: { vi: ['ngonngu'], en: ['language'] },
  where: ['private', 'group'],
  async handle(turn, args, deps, tools) {
    const lang = ownEntry(LANGUAGE_WORDS, foldVietnamese(args.trim()));
    if (turn.event.isGroup && !(await deps.desks.find(turn.event.address))) {
      turn.say({ text: turn.t('group.use_private_chat') });
      return;
    }
    if (lang) await useLanguage(turn, lang, deps, tools);
    else turn.say(turn.event.isGroup ? { text: turn.t('language.usage_group') } : languageChoice(turn.t));
  },
};
