import { mainMenu } from '../../messages';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/** /trogiup (/help): what the bot does, with the main menu. */
export const helpCommand: Command<AccountDeps> = {
  id: 'help',
  names: { vi: ['trogiup'], en: ['help'] },
  bareWords: ['tro giup', 'help'],
  where: ['private'],
  async handle(turn) {
    turn.say(mainMenu(turn.t, turn.t('help.text')));
  },
};
