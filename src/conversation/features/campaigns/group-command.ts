import { parseModelCode } from '../../../domain/models/model-service';
import type { Command } from '../../registry/command';
import type { CampaignDeps } from './deps';

/**
 * /nhom <phường> (/group), in a group chat (Telegram, or a Zalo group the OA
 * was added to): an admin of the group registers it for that ward's
 * campaigns. /nhom <mã mô hình> registers it as that self-management model's
 * group: its ward's campaigns, and those aimed at its kind of model.
 */
export const groupCommand: Command<CampaignDeps> = {
  id: 'group',
  names: { vi: ['nhom'], en: ['group'] },
  where: ['private', 'group'],
  async handle(turn, args, { catalog, audience, isChatAdmin, models }) {
    const { event } = turn;
    if (!event.isGroup) return void turn.say({ text: turn.t('group.register_in_group') });
    const model = parseModelCode(args) ? await models.byCode(args) : null;
    const ward = model ? catalog.wardById(model.wardId) : catalog.matchWard(args);
    if (!ward || model?.status === 'dissolved') return void turn.say({ text: turn.t('group.register_usage') });
    if (!event.senderId || !(await isChatAdmin(event.address, event.senderId))) return void turn.say({ text: turn.t('group.not_admin') });
    await audience.registerGroup(turn.key, event.address, ward.id, event.senderId, turn.now, model ? { id: model._id, kind: model.kind } : null);
    turn.say({ text: model ? turn.t('group.registered_model', { name: model.name, ward: ward.name }) : turn.t('group.registered', { ward: ward.name }) });
  },
};
