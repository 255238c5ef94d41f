import type { Command } from '../../registry/command';
import type { CampaignDeps } from './deps';

/** /nhom <phường> (/group), in a group chat: an admin of the group registers it for that ward's campaigns. */
export const groupCommand: Command<CampaignDeps> = {
  id: 'group',
  names: { vi: ['nhom'], en: ['group'] },
  where: ['private', 'group'],
  async handle(turn, args, { catalog, audience, isChatAdmin }) {
    const { event } = turn;
    if (!event.isGroup) return void turn.say({ text: turn.t('group.register_in_group') });
    const ward = catalog.matchWard(args);
    if (!ward) return void turn.say({ text: turn.t('group.register_usage') });
    if (!event.senderId || !(await isChatAdmin(event.address, event.senderId))) return void turn.say({ text: turn.t('group.not_admin') });
    await audience.registerGroup(turn.key, event.address, ward.id, event.senderId, turn.now);
    turn.say({ text: turn.t('group.registered', { ward: ward.name }) });
  },
};
