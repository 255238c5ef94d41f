import { languageChoice } from '../../messages';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/** /ngonngu (/language): choose Vietnamese or English. */
export const languageCommand: Command<AccountDeps> = {
  id: 'language',
  names: { vi: ['ngonngu'], en: ['language'] },
  where: ['private'],
  async handle(turn) {
    turn.say(languageChoice(turn.t));
  },
};
