import type { Model } from 'mongoose';
import type { ChatAddress, OutboundMessage } from '../../conversation/events';
import type { SendFailure } from '../../channels/channel';
import { isDuplicateKeyError } from '../../shared/errors';
import { moduleLogger } from '../../shared/logger';
import type { BroadcastDeliveryDoc, BroadcastStatus, CampaignDoc } from '../../storage/models/campaign.model';
import type { DeliveryClaimDoc } from '../../storage/models/desk-delivery.model';
import type { Audience } from './audience';
import { RateLimiter, type RateLimits } from './rate-limiter';
import { afterQuietHours, inQuietHours } from './schedule';

const log = moduleLogger('broadcast');
const BATCH = 500;
const MAX_ATTEMPTS = 5;
/** A delivery left "sending" longer than this by a process that stopped is in doubt. */
const IN_DOUBT_AFTER_MS = 2 * 60_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export interface BroadcastPorts {
  send(address: ChatAddress, message: OutboundMessage): Promise<unknown>;
  classify(address: ChatAddress, error: unknown): SendFailure;
  reachableNow(address: ChatAddress): Promise<boolean>;
}

/**
 * Sends campaign runs: takes due pending deliveries in batches (memory does
 * not grow with the audience), claims each attempt by unique insert (so
 * instances share the work without sending twice), marks it "sending"
 * before the platform call and "sent" only after the platform accepted it.
 * A delivery found still "sending" after a crash is in doubt: it is recorded
 * as such and never sent again blindly.
 */
export class BroadcastDispatcher {
  private readonly limiter: RateLimiter;
  private running = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly models: { deliveries: Model<BroadcastDeliveryDoc>; campaigns: Model<CampaignDoc>; claims: Model<DeliveryClaimDoc> },
    private readonly audience: Pick<Audience, 'resolve' | 'drop'>,
    private readonly ports: BroadcastPorts,
    limits: RateLimits & { concurrency: number },
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.limiter = new RateLimiter(limits);
    this.concurrency = limits.concurrency;
  }

  private readonly concurrency: number;

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
  }

  /** New deliveries are waiting (a run was materialized). */
  poke(): void {
    this.wake?.();
  }

  /** Sends every due delivery once; returns how many it handled. Used by the loop and by tests. */
  async drainDue(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await this.models.deliveries.find({ status: 'pending', nextAttemptAt: { $lte: this.clock() } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(BATCH).lean();
      if (batch.length === 0) return handled;
      const campaigns = new Map((await this.models.campaigns.find({ _id: { $in: [...new Set(batch.map((d) => d.campaignId))] } }).lean()).map((c) => [c._id, c]));
      let index = 0;
      const worker = async () => {
        while (index < batch.length && !this.stopped) {
          const delivery = batch[index++];
          await this.deliver(delivery, campaigns.get(delivery.campaignId)).catch((error: unknown) => log.error({ err: error, delivery: delivery._id }, 'broadcast delivery failed'));
          handled += 1;
        }
      };
      await Promise.all(Array.from({ length: this.concurrency }, worker));
      if (this.stopped) return handled;
    }
  }

  /** Deliveries a stopped process left mid-send: recorded as in doubt, not resent. Returns how many. */
  async reconcileInDoubt(): Promise<number> {
    const stale = new Date(this.clock().getTime() - IN_DOUBT_AFTER_MS);
    const result = await this.models.deliveries.updateMany({ status: 'sending', nextAttemptAt: { $lt: stale } }, { $set: { status: 'in_doubt', reason: 'process stopped during the platform call' } });
    if (result.modifiedCount > 0) log.warn({ count: result.modifiedCount }, 'broadcast deliveries in doubt after a restart; not resent');
    return result.modifiedCount;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.reconcileInDoubt();
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

  private async deliver(delivery: BroadcastDeliveryDoc, campaign: CampaignDoc | undefined): Promise<void> {
    const now = this.clock();
    if (!campaign || campaign.status === 'cancelled') return this.finish(delivery, 'skipped', 'campaign cancelled');
    if (campaign.status === 'paused') return this.later(delivery, new Date(now.getTime() + 60_000), false);
    if (inQuietHours(campaign.quiet, now)) return this.later(delivery, afterQuietHours(campaign.quiet, now), false);

    // One attempt, one claim: two instances never send the same attempt.
    if (!(await this.claim(`bc:${delivery._id}#${delivery.attempts + 1}`, now))) return;
    const address = await this.audience.resolve(delivery.recipient);
    if (typeof address === 'string') return this.finish(delivery, 'skipped', address);
    if (address.channel === 'zalo') {
      const hour = new Date(now.getTime() + VIETNAM_OFFSET_MS).getUTCHours();
      // Zalo: never at night (22:00–06:00), and only within the user's 7-day window.
      if (hour >= 22 || hour < 6) return this.later({ ...delivery, attempts: delivery.attempts + 1 }, afterQuietHours({ startMin: 22 * 60, endMin: 6 * 60 }, now), true);
      if (!(await this.ports.reachableNow(address))) return this.finish(delivery, 'skipped', 'outside_window');
    }
    await this.models.deliveries.updateOne({ _id: delivery._id }, { $set: { status: 'sending', nextAttemptAt: now }, $inc: { attempts: 1 } });

    for (let part = delivery.partsSent; part < campaign.messages.length; part += 1) {
      await this.limiter.acquire(`${address.channel}:${address.chatId}`, delivery.recipient.kind === 'group');
      try {
        await this.ports.send(address, { text: campaign.messages[part].text, broadcast: true });
      } catch (error) {
        return this.failed(delivery, address, error, part);
      }
      await this.models.deliveries.updateOne({ _id: delivery._id }, { $set: { partsSent: part + 1 } });
    }
    await this.finish(delivery, 'sent', null);
  }

  private async failed(delivery: BroadcastDeliveryDoc, address: ChatAddress, error: unknown, part: number): Promise<void> {
    const failure = this.ports.classify(address, error);
    const attempts = delivery.attempts + 1;
    const resume = { partsSent: part };
    switch (failure.kind) {
      case 'rate_limited':
        this.limiter.pause(failure.retryAfterMs);
        return this.later({ ...delivery, ...resume, attempts }, new Date(this.clock().getTime() + failure.retryAfterMs), true);
      case 'blocked':
        await this.audience.drop(delivery.recipient);
        return this.finish(delivery, 'blocked', 'blocked the bot or removed it');
      case 'outside_window':
        return this.finish(delivery, 'skipped', 'outside_window');
      case 'transient':
        if (attempts < MAX_ATTEMPTS) return this.later({ ...delivery, ...resume, attempts }, new Date(this.clock().getTime() + 2 ** attempts * 1000), true);
        return this.finish(delivery, 'failed', (error as Error).message?.slice(0, 200) ?? 'failed');
      case 'permanent':
        return this.finish(delivery, 'failed', (error as Error).message?.slice(0, 200) ?? 'failed');
    }
  }

  /** Back to pending for a later attempt (after a 429, a transient error, quiet hours or a pause). */
  private async later(delivery: BroadcastDeliveryDoc, at: Date, attempted: boolean): Promise<void> {
    await this.models.deliveries.updateOne({ _id: delivery._id }, { $set: { status: 'pending', nextAttemptAt: at, partsSent: delivery.partsSent, ...(attempted ? { attempts: delivery.attempts } : {}) } });
  }

  private async finish(delivery: BroadcastDeliveryDoc, status: BroadcastStatus, reason: string | null): Promise<void> {
    await this.models.deliveries.updateOne({ _id: delivery._id }, { $set: { status, reason, ...(status === 'sent' ? { sentAt: this.clock() } : {}) } });
  }

  private async claim(id: string, at: Date): Promise<boolean> {
    try {
      await this.models.claims.create({ _id: id, claimedAt: at });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
