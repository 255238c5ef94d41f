import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { PiiCipher } from '../../shared/pii-cipher';
import { claimAttempt, retryDelayMs } from '../../storage/attempt-claim';
import { insertLeanOnce } from '../../storage/claims';
import type { ReporterNoticeDoc } from '../../storage/models/reporter-notice.model';
import type { ResidentService } from '../residents/resident-service';
import type { ChatAddress, OutboundMessage } from '../../core/chat';
import type { DeliveryClaimDoc } from '../../storage/models/delivery-claim.model';

const log = moduleLogger('reporter-notices');

/**
 * Messages to reporters, delivered durably: stored first, sent at once, and
 * retried with backoff until their chat accepts them. A delivered notice
 * keeps only its id and status (its body is removed) for a day, so a notice
 * queued under a key (an officer's change completed again after a crash) is
 * never queued twice; housekeeping removes it then. A reporter who used
 * /xoadulieu can no longer be reached; their notices are deleted. The retry
 * round reads pending notices by due time, so it never grows with history.
 */
export class ReporterNotices {
  constructor(
    private readonly models: { notices: Model<ReporterNoticeDoc>; claims: Model<DeliveryClaimDoc> },
    private readonly residents: Pick<ResidentService, 'address'>,
    private readonly cipher: PiiCipher,
    private readonly send: (address: ChatAddress, messages: OutboundMessage[]) => Promise<void>,
    private readonly options: { retryBaseMs: number; leaseMs?: number },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Stores the notice, then tries to send it right away. With a `key`, a
   * notice already queued (or delivered) under it is not queued again.
   */
  async enqueue(residentKey: string, messages: OutboundMessage[], key?: string): Promise<void> {
    const now = this.clock();
    const notice: ReporterNoticeDoc = {
      _id: key ?? randomUUID(),
      residentKey,
      bodyEnc: this.cipher.encrypt(JSON.stringify(messages)),
      status: 'pending',
      // The first attempt is this call's, held for the lease: nobody retries it meanwhile.
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + this.leaseMs),
      lastError: null,
      createdAt: now,
      sentAt: null,
    };
    if (!(await insertLeanOnce(this.models.notices, notice))) return;
    await this.attempt(notice, true);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  /** Retries every due notice. Run on a schedule; never throws. */
  async flush(): Promise<void> {
    try {
      const due = await this.models.notices.find({ status: 'pending', nextAttemptAt: { $lte: this.clock() } }).sort({ nextAttemptAt: 1 }).limit(50).lean();
      for (const notice of due) await this.attempt(notice, false);
    } catch (error) {
      log.error({ err: error }, 'notice round failed');
    }
  }

  /** One attempt; `held` when this instance holds it already (it stored the notice). */
  private async attempt(notice: ReporterNoticeDoc, held: boolean): Promise<void> {
    const now = this.clock();
    const attemptNo = held ? notice.attempts : notice.attempts + 1;
    const claimed =
      held ||
      (await claimAttempt(this.models.claims, `notice:${notice._id}`, notice.attempts, now, this.leaseMs, (attempts, nextAttemptAt) =>
        this.models.notices.updateOne({ _id: notice._id, attempts: notice.attempts }, { $set: nextAttemptAt ? { attempts, nextAttemptAt } : { attempts } }),
      ));
    if (!claimed) return;

    const address = await this.residents.address(notice.residentKey);
    if (!address) {
      log.info({ notice: notice._id }, 'reporter asked to be forgotten; notice dropped');
      await this.models.notices.deleteOne({ _id: notice._id });
      return;
    }
    try {
      await this.send(address, JSON.parse(this.cipher.decrypt(notice.bodyEnc)) as OutboundMessage[]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ notice: notice._id, attempt: attemptNo, err: message }, 'notice not delivered, will retry');
      await this.models.notices.updateOne(
        { _id: notice._id },
        { $set: { nextAttemptAt: new Date(this.clock().getTime() + retryDelayMs(attemptNo, this.options.retryBaseMs)), lastError: message.slice(0, 500) } },
      );
      return;
    }
    log.info({ notice: notice._id, attempt: attemptNo }, 'notice delivered');
    await this.models.notices.updateOne({ _id: notice._id }, { $set: { status: 'sent', bodyEnc: '', sentAt: this.clock() } });
  }
}
