import { mainMenu } from '../../messages';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/**
 * /batdau (/start): the menu for someone who agreed to the privacy notice,
 * the notice for anyone else. From a self-management model's link
 * (`/start MH-…`: Telegram's ?start=, the web chat's ?mohinh=, typed on
 * Zalo) the resident is counted under that model first, and told so.
 */
export const startCommand: Command<AccountDeps> = {
  id: 'start',
  names: { vi: ['batdau'], en: ['start'] },
  where: ['private'],
  async handle(turn, args, { residents, consent, models }) {
    const model = args.trim() ? await models.byCode(args) : null;
    if (model && (await models.join(turn.key, model, turn.now))) turn.say({ text: turn.t('start.from_model', { name: model.name }) });
    if (await residents.find(turn.key)) turn.say(mainMenu(turn.t, `${turn.t('start.greeting')}\n\n${turn.t('menu.prompt')}`));
    else turn.say(...consent.request(turn.t));
  },
};
