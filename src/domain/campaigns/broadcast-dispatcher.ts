import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/errors';
import { moduleLogger } from '../../shared/logger';
import type {
  BroadcastDeliveryDoc,
  BroadcastOutcomeDoc,
  BroadcastPromotionDayDoc,
  BroadcastRetryDoc,
  BroadcastSenderDoc,
  BroadcastStatus,
  CampaignDoc,
  CampaignRunDoc,
} from '../../storage/models/campaign.model';
import type { DeliveryClaimDoc } from '../../storage/models/desk-delivery.model';
import { startOfVietnamDay, vietnamDate } from '../../shared/vietnam-time';
import type { Audience } from './audience';
import { RateLimiter, type RateLimits } from './rate-limiter';
import { afterQuietHours, inQuietHours } from './schedule';
import type { SendFailure } from '../../core/send-failure';
import type { ChatAddress, OutboundAttachment, OutboundMessage } from '../../core/chat';
import type { EvidenceRecord } from '../../core/report';

const log = moduleLogger('broadcast');
const CHUNK = 200;
const MAX_ATTEMPTS = 5;
const DEFAULT_LEASE_MS = 2 * 60_000;
const ZALO_NIGHT = { startMin: 22 * 60, endMin: 6 * 60 };
/** How often a sending instance says so, and how long after its last word it no longer counts. */
const HEARTBEAT_MS = 1000;
const SENDER_STALE_MS = 3 * HEARTBEAT_MS;

export interface BroadcastPorts {
  send(address: ChatAddress, message: OutboundMessage): Promise<unknown>;
  classify(address: ChatAddress, error: unknown): SendFailure;
  reachableNow(address: ChatAddress): Promise<boolean>;
  /** A campaign message's picture, to send with its text. */
  attachment(image: EvidenceRecord): OutboundAttachment;
}

export type BroadcastOptions = RateLimits & {
  concurrency: number;
  /** How long one platform call may take; a claim older than this without an outcome was left by a stopped process. */
  leaseMs?: number;
  /** Zalo followers outside the 7-day window get the campaign as a promotion message, one a day, instead of being skipped. */
  zaloPromotion?: boolean;
};

/** One attempt at one delivery: what a scheduled retry holds, without its id and due time. */
type Attempt = Omit<BroadcastRetryDoc, '_id' | 'dueAt'>;

/** Whether a delivery is settled for the run's cursor (an outcome, or a retry scheduled), or must be looked at again. */
type Settled = boolean;

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
  private readonly limiter: RateLimiter;
  private readonly concurrency: number;
  /** How long one platform call may take; a claim older than this without an outcome was left by a stopped process. */
  private readonly leaseMs: number;
  private readonly zaloPromotion: boolean;
  private running = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly instanceId = randomUUID();
  private lastHeartbeat = -Infinity;
  private beating: Promise<void> | null = null;
  /** This instance's part of the work while several send: deliveries whose id hashes to `index` of `of`. */
  private part = { index: 0, of: 1 };

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
    private readonly audience: Pick<Audience, 'resolve' | 'drop'>,
    private readonly ports: BroadcastPorts,
    options: BroadcastOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.limiter = new RateLimiter(options);
    this.concurrency = options.concurrency;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.zaloPromotion = options.zaloPromotion ?? false;
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
    await this.models.senders.deleteOne({ _id: this.instanceId }).catch(() => undefined);
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
      try {
        await this.drainDue();
      } catch (error) {
        log.error({ err: error }, 'broadcast round failed');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
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
    await this.heartbeat(true);
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
        const settled = await this.pool(chunk.map((d) => () => this.attempt(campaign, { deliveryId: d._id, runId: run._id, campaignId: campaign._id, recipient: d.recipient, attempt: 1, partsSent: 0 })));
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
    await this.pool(
      due.map((retry) => async () => {
        const campaign = campaigns.get(retry.campaignId);
        if (!campaign || campaign.status === 'cancelled') {
          await this.models.retries.deleteOne({ _id: retry._id });
          return true;
        }
        if (!this.sendable(campaign)) return false;
        const settled = await this.attempt(campaign, retry);
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

  private async pool(tasks: (() => Promise<Settled>)[]): Promise<Settled[]> {
    const results: Settled[] = new Array<Settled>(tasks.length).fill(false);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !this.stopped) {
        const index = next++;
        results[index] = await tasks[index]().catch((error: unknown) => {
          log.error({ err: error }, 'broadcast delivery failed');
          return false;
        });
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    return results;
  }

  /** One attempt at one delivery; true once it has an outcome or a retry scheduled. */
  private async attempt(campaign: CampaignDoc, a: Attempt): Promise<Settled> {
    // Another sender's part: settled once that sender recorded it; until then looked at again (and taken over if that sender stops).
    if (this.part.of > 1 && partOf(a.deliveryId, this.part.of) !== this.part.index) return this.settledElsewhere(a);
    const now = this.clock();
    const address = await this.audience.resolve(a.recipient);
    if (typeof address === 'string') return this.outcome(a, 'skipped', address);
    if (address.channel === 'zalo') {
      // Zalo: never at night (22:00–06:00), and only within the user's 7-day window.
      if (inQuietHours(ZALO_NIGHT, now)) return this.retryLater(a, a.attempt, afterQuietHours(ZALO_NIGHT, now));
      if (!(await this.ports.reachableNow(address))) return this.zaloPromotion ? this.promote(campaign, a, address) : this.outcome(a, 'skipped', 'outside_window');
    }
    const last = campaign.messages.length - 1;
    for (let part = a.partsSent; part <= last; part += 1) {
      await this.limiter.acquire(`${address.channel}:${address.chatId}`, a.recipient.kind === 'group');
      const claimId = `bc:${a.deliveryId}#${a.attempt}:${part}`;
      if (!(await this.claim(claimId))) return this.alreadyClaimed(a, claimId);
      await this.heartbeat();
      await this.limiter.depart();
      try {
        const { text, image } = campaign.messages[part];
        await this.ports.send(address, { text, image: image ? this.ports.attachment(image) : undefined, broadcast: true });
      } catch (error) {
        return this.failed({ ...a, partsSent: part }, address, error);
      }
    }
    return this.outcome(a, 'sent', null);
  }

  /**
   * A Zalo follower outside the 7-day window: the whole campaign as one
   * promotion message (its texts not sent yet, the first of their pictures as the banner), at most
   * one a Vietnam day per follower across campaigns and instances (a unique
   * insert per follower and day, made after the call's claim). A follower
   * who had today's already gets this one tomorrow from 06:00. A send that
   * failed gives the day back.
   */
  private async promote(campaign: CampaignDoc, a: Attempt, address: ChatAddress): Promise<Settled> {
    await this.limiter.acquire(`${address.channel}:${address.chatId}`, false);
    const claimId = `bc:${a.deliveryId}#${a.attempt}:promotion`;
    if (!(await this.claim(claimId))) return this.alreadyClaimed(a, claimId);
    await this.heartbeat();
    await this.limiter.depart();
    const now = this.clock();
    const { year, month, day } = vietnamDate(now);
    const dayId = `${a.recipient.key}|${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (!(await this.insertOnce(this.models.promotionDays, { _id: dayId, deliveryId: a.deliveryId, at: now }))) {
      const tomorrow = new Date(startOfVietnamDay(now).getTime() + 24 * 3_600_000);
      return this.retryLater(a, a.attempt + 1, afterQuietHours(ZALO_NIGHT, tomorrow));
    }
    // What this follower has not had yet (a retry after the window closed mid-campaign carries on from there).
    const messages = campaign.messages.slice(a.partsSent);
    const image = messages.find((m) => m.image)?.image;
    try {
      await this.ports.send(address, { text: messages.map((m) => m.text).join('\n\n'), image: image ? this.ports.attachment(image) : undefined, broadcast: true, promotion: true });
    } catch (error) {
      await this.models.promotionDays.deleteOne({ _id: dayId });
      return this.failed(a, address, error);
    }
    return this.outcome(a, 'sent', 'promotion');
  }

  private async failed(a: Attempt, address: ChatAddress, error: unknown): Promise<Settled> {
    const failure = this.ports.classify(address, error);
    const reason = (error as Error).message?.slice(0, 200) ?? 'failed';
    switch (failure.kind) {
      case 'rate_limited':
        this.limiter.pause(failure.retryAfterMs);
        return this.retryLater(a, a.attempt + 1, new Date(this.clock().getTime() + failure.retryAfterMs));
      case 'blocked':
        await this.audience.drop(a.recipient);
        return this.outcome(a, 'blocked', 'blocked the bot or removed it');
      case 'outside_window':
        return this.outcome(a, 'skipped', 'outside_window');
      case 'transient':
        if (a.attempt < MAX_ATTEMPTS) return this.retryLater(a, a.attempt + 1, new Date(this.clock().getTime() + 2 ** a.attempt * 1000));
        return this.outcome(a, 'failed', reason);
      case 'permanent':
        return this.outcome(a, 'failed', reason);
    }
  }

  /**
   * While sending, says so every second and takes its part: of the overall
   * rate, 1 / the instances that said so lately, and of each run, the
   * deliveries whose id hashes to its place among them. Instances never race
   * for the same recipient, and one that stops stops counting within
   * seconds: the others take its rate and its recipients over. Never
   * throws (it sits between a claim and its call): on a database error the
   * instance keeps the part it had. One at a time per instance.
   */
  private heartbeat(force = false): Promise<void> {
    if (this.beating) return this.beating;
    if (!force && Date.now() - this.lastHeartbeat < HEARTBEAT_MS) return Promise.resolve();
    this.lastHeartbeat = Date.now();
    this.beating = this.beat()
      .catch((error: unknown) => log.warn({ err: error }, 'broadcast heartbeat failed; keeping the previous share'))
      .finally(() => {
        this.beating = null;
      });
    return this.beating;
  }

  private async beat(): Promise<void> {
    const now = this.clock();
    const seen = { $set: { lastSeenAt: now } };
    try {
      await this.models.senders.updateOne({ _id: this.instanceId }, seen, { upsert: true });
    } catch (error) {
      // Two upserts of one new id raced (FerretDB v1 and MongoDB both allow it): the document is there now.
      if (!isDuplicateKeyError(error)) throw error;
      await this.models.senders.updateOne({ _id: this.instanceId }, seen);
    }
    const sending = (await this.models.senders.find({ lastSeenAt: { $gt: new Date(now.getTime() - SENDER_STALE_MS) } }, { _id: 1 }).lean()).map((s) => s._id).sort();
    const index = sending.indexOf(this.instanceId);
    this.part = index < 0 ? { index: 0, of: 1 } : { index, of: sending.length };
    this.limiter.setShare(1 / this.part.of);
  }

  /** A delivery another instance sends: done once it has an outcome or its next attempt scheduled. */
  private async settledElsewhere(a: Attempt): Promise<Settled> {
    if (await this.models.outcomes.exists({ _id: a.deliveryId })) return true;
    return (await this.models.retries.exists({ _id: `${a.deliveryId}#${a.attempt + 1}` })) !== null;
  }

  /** Someone holds this call. With an outcome it is done; without one past the lease, its process died mid-call. */
  private async alreadyClaimed(a: Attempt, claimId: string): Promise<Settled> {
    if (await this.models.outcomes.exists({ _id: a.deliveryId })) return true;
    if (await this.models.retries.exists({ _id: `${a.deliveryId}#${a.attempt + 1}` })) return true;
    const claim = await this.models.claims.findOne({ _id: claimId }).lean();
    if (!claim || this.clock().getTime() - claim.claimedAt.getTime() < this.leaseMs) return false;
    log.warn({ delivery: a.deliveryId }, 'broadcast delivery in doubt after a stopped process; not resent');
    return this.outcome(a, 'in_doubt', 'the process stopped during the platform call; not resent');
  }

  private async retryLater(a: Attempt, attempt: number, dueAt: Date): Promise<Settled> {
    await this.insertOnce(this.models.retries, { _id: `${a.deliveryId}#${attempt}`, deliveryId: a.deliveryId, runId: a.runId, campaignId: a.campaignId, recipient: a.recipient, attempt, partsSent: a.partsSent, dueAt });
    return true;
  }

  private async outcome(a: Attempt, status: BroadcastStatus, reason: string | null): Promise<Settled> {
    await this.insertOnce(this.models.outcomes, { _id: a.deliveryId, runId: a.runId, campaignId: a.campaignId, status, reason, at: this.clock() });
    return true;
  }

  private async claim(id: string): Promise<boolean> {
    return this.insertOnce(this.models.claims, { _id: id, claimedAt: this.clock() });
  }

  /** True when inserted; false when a document with this id is already there. */
  private async insertOnce<T extends { _id: string }>(model: Model<T>, doc: T): Promise<boolean> {
    try {
      await model.create(doc);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}

/** Which of `of` parts a delivery belongs to (FNV-1a of its id): the same answer on every instance. */
export function partOf(id: string, of: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % of;
}
