import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import { insertOnce } from '../../storage/claims';
import type { BroadcastOutcomeDoc, BroadcastStatus } from '../../storage/models/broadcast-outcome.model';
import type { BroadcastRetryDoc } from '../../storage/models/broadcast-retry.model';
import type { DeliveryClaimDoc } from '../../storage/models/delivery-claim.model';

const log = moduleLogger('broadcast');

/** One attempt at one delivery: what a scheduled retry holds, without its id and due time. */
export type Attempt = Omit<BroadcastRetryDoc, '_id' | 'dueAt'>;

/** Whether a delivery is settled for the run's cursor (an outcome, or a retry scheduled), or must be looked at again. */
export type Settled = boolean;

/**
 * What happened to each broadcast delivery, insert-only (one cheap write,
 * even on FerretDB v1, which rewrites a whole document per update): the claim
 * of each platform call made just before it, the delivery's one outcome, and
 * its next attempt when one is scheduled.
 */
export class DeliveryLedger {
  constructor(
    private readonly models: { outcomes: Model<BroadcastOutcomeDoc>; retries: Model<BroadcastRetryDoc>; claims: Model<DeliveryClaimDoc> },
    /** How long one platform call may take; a claim older than this without an outcome was left by a stopped process. */
    private readonly leaseMs: number,
    private readonly clock: () => Date,
  ) {}

  /** Claims one platform call; false when someone already made or is making it. */
  claim(id: string): Promise<boolean> {
    return insertOnce(this.models.claims, { _id: id, claimedAt: this.clock() });
  }

  async outcome(a: Attempt, status: BroadcastStatus, reason: string | null): Promise<Settled> {
    await insertOnce(this.models.outcomes, { _id: a.deliveryId, runId: a.runId, campaignId: a.campaignId, status, reason, at: this.clock() });
    return true;
  }

  async retryLater(a: Attempt, attempt: number, dueAt: Date): Promise<Settled> {
    await insertOnce(this.models.retries, { _id: `${a.deliveryId}#${attempt}`, deliveryId: a.deliveryId, runId: a.runId, campaignId: a.campaignId, recipient: a.recipient, attempt, partsSent: a.partsSent, dueAt });
    return true;
  }

  /** A delivery another instance sends: done once it has an outcome or its next attempt scheduled. */
  async settledElsewhere(a: Attempt): Promise<Settled> {
    if (await this.models.outcomes.exists({ _id: a.deliveryId })) return true;
    return (await this.models.retries.exists({ _id: `${a.deliveryId}#${a.attempt + 1}` })) !== null;
  }

  /** Someone holds this call. With an outcome it is done; without one past the lease, its process died mid-call. */
  async alreadyClaimed(a: Attempt, claimId: string): Promise<Settled> {
    if (await this.settledElsewhere(a)) return true;
    const claim = await this.models.claims.findOne({ _id: claimId }).lean();
    if (!claim || this.clock().getTime() - claim.claimedAt.getTime() < this.leaseMs) return false;
    log.warn({ delivery: a.deliveryId }, 'broadcast delivery in doubt after a stopped process; not resent');
    return this.outcome(a, 'in_doubt', 'the process stopped during the platform call; not resent');
  }
}
