import { personalDataMessages } from '../../presenters/personal-data';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/** /dulieucuatoi (/mydata): the resident's own data, at once, in their chat (never in a group). */
export const myDataCommand: Command<AccountDeps> = {
  id: 'mydata',
  names: { vi: ['dulieucuatoi'], en: ['mydata'] },
  bareWords: ['du lieu cua toi', 'dulieucuatoi', 'my data'],
  where: ['private'],
  async handle(turn, _args, { residents, audience, catalog }) {
    const [data, subscription] = await Promise.all([residents.personalData(turn.key), audience.subscriptionOf(turn.key)]);
    turn.say(...personalDataMessages(turn.t, catalog, data, data ? subscription : null));
  },
};
