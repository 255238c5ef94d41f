import type { Command } from '../../registry/command';
import type { ModelsDeps } from './deps';
import { modelButtons } from './model-buttons';

/** /nhanmohinh <mã mời> (/leadmodel): the chat that sends a model's one-time invite becomes one of its leaders. */
export const leaderCommand: Command<ModelsDeps> = {
  id: 'lead_model',
  names: { vi: ['nhanmohinh'], en: ['leadmodel'] },
  where: ['private'],
  async handle(turn, args, { models }) {
    if (!args.trim()) return void turn.say({ text: turn.t('models.leader_usage') });
    const answer = await models.acceptInvite(args, { key: turn.key, address: turn.event.address, name: turn.event.senderName }, turn.now);
    if (answer.result !== 'accepted') return void turn.say({ text: turn.t(`models.leader_${answer.result}`) });
    turn.say({ text: turn.t('models.leader_accepted', { name: answer.model.name, code: answer.model.code }), buttons: modelButtons(answer.model, turn.t, false) });
  },
};
