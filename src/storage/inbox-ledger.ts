import type { Model } from 'mongoose';
import { claimWithLease } from './claims';
import type { InboxDoc } from './models/inbox.model';

/** An event still marked "processing" after this long was abandoned by a stopped process and may be taken again. */
const STALE_AFTER_MS = 60_000;

/**
 * The processed-once ledger of inbound platform events (a Telegram
 * update_id, a web chat message id), keyed by the event's own key.
 */
export class InboxLedger {
  constructor(private readonly inbox: Model<InboxDoc>) {}

  /**
   * Claims an event for handling: true the first time, and again once a
   * process that claimed it stopped without finishing (its lease ran out).
   * The engine's per-state event key keeps the step from being applied twice.
   */
  claim(key: string, now: Date): Promise<boolean> {
    return claimWithLease(
      this.inbox,
      { _id: key, status: 'processing', receivedAt: now, doneAt: null },
      { expired: { status: 'processing', receivedAt: { $lte: new Date(now.getTime() - STALE_AFTER_MS) } }, takeOver: { $set: { receivedAt: now } } },
    );
  }

  async done(key: string, now: Date): Promise<void> {
    await this.inbox.updateOne({ _id: key }, { $set: { status: 'done', doneAt: now } });
  }

  /** Lets a redelivery (a webhook retry) try again after a failure. */
  async release(key: string): Promise<void> {
    await this.inbox.deleteOne({ _id: key });
  }
}
