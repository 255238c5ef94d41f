import { moduleLogger } from '../shared/logger';
import type { Models } from './database';

const log = moduleLogger('housekeeping');

/** How long processed-event keys and delivery claims are kept: far longer than any platform redelivers. */
export const LEDGER_RETENTION_MS = 7 * 24 * 3_600_000;
/** Zalo events are kept past the webhook's freshness window (a day), so a replay inside the window still finds its id. */
const ZALO_EVENTS_KEPT_MS = 2 * 24 * 3_600_000;
/** Delivered notices keep their id this long: far longer than an officer's change takes to complete after a crash. */
const NOTICE_KEYS_KEPT_MS = 24 * 3_600_000;

/**
 * Prunes the idempotency ledgers (`inbox`, `delivery_claims`, `leases`) of entries old
 * enough that no redelivery or retry can still refer to them, and the
 * broadcast senders that stopped long ago, and the record of which Zalo
 * follower got a promotion message on which day, once the day is long past. Run by node-cron; never throws out
 * of a tick.
 */
export async function pruneLedgers(models: Pick<Models, 'inbox' | 'deliveryClaims' | 'leases' | 'broadcastSenders' | 'broadcastPromotionDays' | 'reporterNotices' | 'zaloEvents'>, now: Date): Promise<{ inbox: number; claims: number }> {
  const cutoff = new Date(now.getTime() - LEDGER_RETENTION_MS);
  try {
    const inbox = await models.inbox.deleteMany({ receivedAt: { $lt: cutoff } });
    const claims = await models.deliveryClaims.deleteMany({ claimedAt: { $lt: cutoff } });
    await models.leases.deleteMany({ expiresAt: { $lt: cutoff } });
    await models.broadcastSenders.deleteMany({ lastSeenAt: { $lt: cutoff } });
    await models.broadcastPromotionDays.deleteMany({ at: { $lt: cutoff } });
    // A delivered notice is kept without its body for a day, so its key is not queued again (ReporterNotices).
    await models.reporterNotices.deleteMany({ status: { $ne: 'pending' }, createdAt: { $lt: new Date(now.getTime() - NOTICE_KEYS_KEPT_MS) } });
    // Zalo events with their encrypted bodies: handled or given up, two days on (replays older than a day are refused by their timestamp).
    await models.zaloEvents.deleteMany({ status: { $ne: 'pending' }, receivedAt: { $lt: new Date(now.getTime() - ZALO_EVENTS_KEPT_MS) } });
    return { inbox: inbox.deletedCount, claims: claims.deletedCount };
  } catch (error) {
    log.error({ err: error }, 'pruning ledgers failed');
    return { inbox: 0, claims: 0 };
  }
}
