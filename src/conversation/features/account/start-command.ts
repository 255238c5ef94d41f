import { mainMenu } from '../../messages';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/** /batdau (/start): the menu for someone who agreed to the privacy notice, the notice for anyone else. */
export const startCommand: Command<AccountDeps> = {
  id: 'start',
  names: { vi: ['batdau'], en: ['start'] },
  where: ['private'],
  async handle(turn, _args, { residents, consent }) {
    if (await residents.find(turn.key)) turn.say(mainMenu(turn.t, `${turn.t('start.greeting')}\n\n${turn.t('menu.prompt')}`));
    else turn.say(...consent.request(turn.t));
  },
};
