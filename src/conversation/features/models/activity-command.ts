import type { CommunityModelDoc } from '../../../core/community-model';
import type { ConversationTools } from '../../registry/command';
import type { Turn } from '../../turn';
import type { Command } from '../../registry/command';
import type { ModelsDeps } from './deps';
import { modelChoice } from './model-buttons';

/** /hoatdong (/activity): a leader records what their model did; with several models, which one first. */
export const activityCommand: Command<ModelsDeps> = {
  id: 'model_activity',
  names: { vi: ['hoatdong'], en: ['activity'] },
  where: ['private'],
  async handle(turn, _args, { models }, tools) {
    const led = await models.ledBy(turn.key);
    if (led.length === 0) return void turn.say({ text: turn.t('activity.not_leader') });
    if (led.length === 1) return startActivity(turn, led[0], tools);
    turn.say({ text: turn.t('activity.which_model'), buttons: led.map((m) => [modelChoice(m, 'activity')]) });
  },
};

export function startActivity(turn: Turn, model: CommunityModelDoc, { runner }: ConversationTools): Promise<void> {
  return runner.start(turn, 'model_activity', { modelId: model._id, code: model.code, name: model.name, leader: { key: turn.key, address: turn.event.address, name: turn.event.senderName } });
}
