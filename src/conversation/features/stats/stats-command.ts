import type { Catalog } from '../../../config/catalog';
import type { StatsService } from '../../../domain/stats/stats-service';
import { readyWithin, type LateReplies } from '../../late-replies';
import { presentStats } from '../../presenters/stats/stats-render';
import type { Command } from '../../registry/command';
import { adminActor } from '../../actors';

export interface StatsDeps {
  stats: Pick<StatsService, 'command'>;
  catalog: Catalog;
  /** Where a slow answer goes once ready, and how long a turn waits for it before saying it is coming. */
  lateReplies: Pick<LateReplies, 'deliver'>;
  lateReplyAfterMs: number;
}

/**
 * /thongke [đơn vị] [kỳ] (/stats, /soket): period figures with CSV, .xlsx and
 * a chart. The answer comes in this turn when it is quick; otherwise "coming",
 * and the answer when ready, so the chat is not held.
 */
export const statsCommand: Command<StatsDeps> = {
  id: 'stats',
  names: { vi: ['thongke', 'soket'], en: ['stats'] },
  where: ['private', 'group'],
  async handle(turn, args, { stats, catalog, lateReplies, lateReplyAfterMs }) {
    const { event } = turn;
    const context = { t: turn.t, lang: turn.lang, catalog };
    const asker = { address: event.address, userId: event.senderId, adminId: adminActor(event).telegramUserId, name: event.senderName, isGroup: event.isGroup };
    const work = stats.command(asker, args, turn.now).then((answer) => presentStats(answer, context));
    const ready = await readyWithin(work, lateReplyAfterMs);
    if (ready) return void turn.say(...ready);
    turn.say({ text: turn.t('stats.computing') });
    lateReplies.deliver(event.address, event.threadId, work, { text: turn.t('errors.internal') });
  },
};
