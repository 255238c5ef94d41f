import type { Command } from '../../registry/command';
import type { DeskDeps } from './deps';

/** /chude <loại> (/topic), in a forum topic of a desk group: that category's cards are posted here. */
export const topicCommand: Command<DeskDeps> = {
  id: 'topic',
  names: { vi: ['chude'], en: ['topic'] },
  where: ['private', 'group'],
  async handle(turn, args, { catalog, desks }) {
    const category = catalog.categoryById(args.trim()) ?? catalog.matchCategory(args);
    if (!category) {
      turn.say({ text: turn.t('desk.topic_usage', { ids: catalog.categories.map((c) => c.id).join(', ') }) });
      return;
    }
    const bound = await desks.bindTopic(turn.event.address, turn.event.threadId, category.id);
    turn.say({ text: turn.t(`desk.topic_${bound}`, { category: turn.t(`category.${category.id}`) }) });
  },
};
