import type { Command } from '../../registry/command';
import type { CampaignDeps } from './deps';

/** /huydangky (/unsubscribe): no more campaign messages. */
export const unsubscribeCommand: Command<CampaignDeps> = {
  id: 'unsubscribe',
  names: { vi: ['huydangky'], en: ['unsubscribe'] },
  where: ['private'],
  async handle(turn, _args, { audience }) {
    turn.say({ text: turn.t((await audience.unsubscribe(turn.key)) ? 'subscribe.stopped' : 'subscribe.not_subscribed') });
  },
};
