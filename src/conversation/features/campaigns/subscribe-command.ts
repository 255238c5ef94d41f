import type { Command } from '../../registry/command';
import type { CampaignDeps } from './deps';

/** /dangky (/subscribe): prevention warnings for one's ward, after consent. */
export const subscribeCommand: Command<CampaignDeps> = {
  id: 'subscribe',
  names: { vi: ['dangky'], en: ['subscribe'] },
  where: ['private'],
  async handle(turn, _args, _deps, { runner }) {
    await runner.start(turn, 'subscribe');
  },
};
