import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import type { Audience } from './audience';
import type { BroadcastPorts } from './broadcast-ports';
import { DeliveryLedger, type Settled } from './delivery-ledger';
import { RateLimiter, type RateLimits } from './rate-limiter';
import { inQuietHours } from './schedule';
import { SendAttempt } from './send-attempt';
import { SenderMembership } from './sender-membership';
import { runPool } from './worker-pool';
import { ZaloPromotion } from './zalo-promotion';
import type { BroadcastDeliveryDoc } from '../../storage/models/broadcast-delivery.model';
import type { BroadcastOutcomeDoc } from '../../storage/models/broadcast-outcome.model';
import type { BroadcastPromotionDayDoc } from '../../storage/models/broadcast-promotion-day.model';
import type { BroadcastRetryDoc } from '../../storage/models/broadcast-retry.model';
import type { BroadcastSenderDoc } from '../../storage/models/broadcast-sender.model';
import type { CampaignRunDoc } from '../../storage/models/campaign-run.model';
import type { DeliveryClaimDoc } from '../../storage/models/delivery-claim.model';

const log = moduleLogger('broadcast');
const CHUNK = 200;
const DEFAULT_LEASE_MS = 2 * 60_000;

export type BroadcastOptions = RateLimits & {
  concurrency: number;
  /** How long one platform call may take; a claim older than this without an outcome was left by a stopped process. */
  leaseMs?: number;
  /** Zalo followers outside the 7-day window get the campaign as a promotion message, one a day, instead of being skipped. */
  zaloPromotion?: boolean;
  /**
   * How long the dispatcher waits, when the last round found nothing to send,
   * before looking again (for runs another instance started and retries come
   * due). A run started here wakes it at once; while there is work it looks
   * every second.
   */
  idlePollMs?: number;
};

/**
 * Sends campaign runs. Each run's recipients are streamed in id order in
 * chunks (memory does not grow with the audience); each platform call is
 * claimed by a unique insert just before it is made, so instances share the
 * work without sending twice; what happened is inserted once as an outcome
 * (insert-only: one cheap write, even on FerretDB). A claim whose delivery
 * has no outcome after the lease means the process died during the call:
 * the delivery is recorded "in doubt" and never sent again blindly. 429s,
 * transient errors and Zalo's night hours schedule a retry. Instances that
 * send at the same time split the overall rate limit (broadcast_senders).
 */
export class BroadcastDispatcher {
  private readonly concurrency: number;
  private readonly idlePollMs: number;
  private readonly membership: SenderMembership;
  private readonly sendAttempt: SendAttempt;
  private running = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly models: {
      runs: Model<CampaignRunDoc>;
      deliveries: Model<BroadcastDeliveryDoc>;
      outcomes: Model<BroadcastOutcomeDoc>;
      retries: Model<BroadcastRetryDoc>;
      campaigns: Model<CampaignDoc>;
      claims: Model<DeliveryClaimDoc>;
      senders: Model<BroadcastSenderDoc>;
      promotionDays: Model<BroadcastPromotionDayDoc>;
    },
    audience: Pick<Audience, 'resolve' | 'drop'>,
    ports: BroadcastPorts,
    options: BroadcastOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    const limiter = new RateLimiter(options);
    this.concurrency = options.concurrency;
    this.idlePollMs = options.idlePollMs ?? 15_000;
    this.membership = new SenderMembership(models.senders, (share) => limiter.setShare(share), clock);
    const ledger = new DeliveryLedger(models, options.leaseMs ?? DEFAULT_LEASE_MS, clock);
    const promotion = options.zaloPromotion ? new ZaloPromotion(models.promotionDays, { ledger, limiter, membership: this.membership, ports }, clock) : null;
    this.sendAttempt = new SendAttempt({ ledger, limiter, membership: this.membership, audience, ports, promotion }, clock);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    // The others may take the whole rate again at once.
    await this.membership.leave();
  }

  /** A run was materialized: start on it now. */
  poke(): void {
    this.wake?.();
  }

  /** One round over every run being sent, then the due retries. Returns how many deliveries it handled. */
  async drainDue(): Promise<number> {
    let handled = 0;
    for (const run of await this.models.runs.find({ status: 'sending' }).lean()) handled += await this.sendRun(run);
    return handled + (await this.sendRetries());
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.drainDue();
      } catch (error) {
        log.error({ err: error }, 'broadcast round failed');
      }
      if (!this.running) break;
      // Runs and retries are read by status and due time: scans on FerretDB v1, so once a second only while there is work.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, handled > 0 ? 1000 : this.idlePollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * Streams the run's recipients after its high-water mark through one
   * cursor (one scan, whatever the audience; FerretDB v1 would scan again
   * for every range query), a chunk at a time.
   */
  private async sendRun(run: CampaignRunDoc): Promise<number> {
    await this.membership.heartbeat(true);
    let handled = 0;
    let unsettled = false;
    const cursor = this.models.deliveries
      .find({ runId: run._id, ...(run.doneThrough ? { _id: { $gt: run.doneThrough } } : {}) })
      .sort({ _id: 1 })
      .lean()
      .cursor({ batchSize: CHUNK });
    try {
      let chunk: BroadcastDeliveryDoc[] = [];
      const flush = async (): Promise<boolean> => {
        const campaign = await this.models.campaigns.findOne({ _id: run.campaignId }).lean();
        // A cancelled campaign's run is over: nothing more is sent, and it is not looked at again.
        if (!campaign || campaign.status === 'cancelled') await this.models.runs.updateOne({ _id: run._id }, { $set: { status: 'done' } });
        if (!campaign || !this.sendable(campaign)) return false;
        const frozen = asFired(campaign, run);
        const settled = await this.pool(chunk.map((d) => () => this.sendAttempt.run(frozen, { deliveryId: d._id, runId: run._id, campaignId: campaign._id, recipient: d.recipient, attempt: 1, partsSent: 0 })));
        handled += chunk.length;
        unsettled ||= settled.includes(false);
        // The mark only moves past fully settled chunks, so a restart revisits anything unfinished.
        if (!unsettled) await this.models.runs.updateOne({ _id: run._id }, { $set: { doneThrough: chunk[chunk.length - 1]._id } });
        chunk = [];
        return !this.stopped;
      };
      for await (const delivery of cursor) {
        chunk.push(delivery);
        if (chunk.length >= CHUNK && !(await flush())) return handled;
      }
      if (chunk.length > 0 && !(await flush())) return handled;
    } finally {
      await cursor.close();
    }
    if (!unsettled && (await this.models.retries.countDocuments({ runId: run._id })) === 0) await this.finishRun(run);
    return handled;
  }

  /** The run is over; a campaign whose schedule has no fire time left is finished with it. */
  private async finishRun(run: CampaignRunDoc): Promise<void> {
    await this.models.runs.updateOne({ _id: run._id }, { $set: { status: 'done' } });
    const campaign = await this.models.campaigns.findOne({ _id: run.campaignId }).lean();
    if (!campaign || campaign.status !== 'active') return;
    const { schedule } = campaign;
    const exhausted = schedule.kind === 'once' ? new Date(schedule.at) <= run.fireAt : new Date(schedule.until) <= this.clock();
    if (exhausted) await this.models.campaigns.updateOne({ _id: campaign._id, status: 'active' }, { $set: { status: 'finished' } });
  }

  private async sendRetries(): Promise<number> {
    const due = await this.models.retries.find({ dueAt: { $lte: this.clock() } }).sort({ dueAt: 1 }).limit(500).lean();
    const campaigns = new Map((await this.models.campaigns.find({ _id: { $in: [...new Set(due.map((r) => r.campaignId))] } }).lean()).map((c) => [c._id, c]));
    // Retries send the text their run fired with (runs read by `_id`).
    const runs = new Map((await this.models.runs.find({ _id: { $in: [...new Set(due.map((r) => r.runId))] } }).lean()).map((r) => [r._id, r]));
    await this.pool(
      due.map((retry) => async () => {
        const campaign = campaigns.get(retry.campaignId);
        if (!campaign || campaign.status === 'cancelled') {
          await this.models.retries.deleteOne({ _id: retry._id });
          return true;
        }
        if (!this.sendable(campaign)) return false;
        const run = runs.get(retry.runId);
        const settled = await this.sendAttempt.run(run ? asFired(campaign, run) : campaign, retry);
        if (settled) await this.models.retries.deleteOne({ _id: retry._id });
        return settled;
      }),
    );
    return due.length;
  }

  /** Cancelled campaigns settle nothing more; paused ones and quiet hours wait. */
  private sendable(campaign: CampaignDoc): boolean {
    return campaign.status !== 'paused' && campaign.status !== 'cancelled' && !inQuietHours(campaign.quiet, this.clock());
  }

  private pool(tasks: (() => Promise<Settled>)[]): Promise<Settled[]> {
    return runPool(tasks, this.concurrency, () => this.stopped, (error) => log.error({ err: error }, 'broadcast delivery failed'));
  }
}

/** The campaign as its run fired: the text frozen in the run (runs from before the freeze use the campaign's). */
function asFired(campaign: CampaignDoc, run: CampaignRunDoc): CampaignDoc {
  return run.messages ? { ...campaign, messages: run.messages } : campaign;
}
