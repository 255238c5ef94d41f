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
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DEFAULT_LEASE_MS = 2 * 60_000;

export interface BroadcastPorts {
  send(address: ChatAddress, message: OutboundMessage): Promise<unknown>;
  classify(address: ChatAddress, error: unknown): SendFailure;
  reachableNow(address: ChatAddress): Promise<boolean>;
}

/**
 * Sends campaign runs: takes due pending deliveries in batches (memory does
 * not grow with the audience), claims each platform call by unique insert
 * just before making it (so instances share the work without sending
 * twice), and marks a delivery "sent" only after the platform accepted it.
 * A claim whose delivery never moved on (the process died during the call)
 * makes the delivery "in doubt": recorded, never sent again blindly.
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
    limits: RateLimits & { concurrency: number; leaseMs?: number },
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.limiter = new RateLimiter(limits);
    this.concurrency = limits.concurrency;
    this.leaseMs = limits.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private readonly concurrency: number;
  /** How long one platform call may take; a claim older than this whose delivery is still pending was left by a stopped process. */
  private readonly leaseMs: number;

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

  private async deliver(delivery: BroadcastDeliveryDoc, campaign: CampaignDoc | undefined): Promise<void> {
    const now = this.clock();
    if (!campaign || campaign.status === 'cancelled') return this.finish(delivery, 'skipped', 'campaign cancelled');
    if (campaign.status === 'paused') return this.later(delivery, new Date(now.getTime() + 60_000), false);
    if (inQuietHours(campaign.quiet, now)) return this.later(delivery, afterQuietHours(campaign.quiet, now), false);

    const address = await this.audience.resolve(delivery.recipient);
    if (typeof address === 'string') return this.finish(delivery, 'skipped', address);
    if (address.channel === 'zalo') {
      const hour = new Date(now.getTime() + VIETNAM_OFFSET_MS).getUTCHours();
      // Zalo: never at night (22:00–06:00), and only within the user's 7-day window.
      if (hour >= 22 || hour < 6) return this.later(delivery, afterQuietHours({ startMin: 22 * 60, endMin: 6 * 60 }, now), false);
      if (!(await this.ports.reachableNow(address))) return this.finish(delivery, 'skipped', 'outside_window');
    }

    const last = campaign.messages.length - 1;
    for (let part = delivery.partsSent; part <= last; part += 1) {
      await this.limiter.acquire(`${address.channel}:${address.chatId}`, delivery.recipient.kind === 'group');
      // The claim is written just before the platform call: one instance makes each call, and a
      // claim whose delivery never moved on means the process died during the call (in doubt).
      const claimId = `bc:${delivery._id}#${delivery.attempts + 1}:${part}`;
      if (!(await this.claim(claimId))) return this.inDoubtIfAbandoned(delivery, claimId);
      try {
        await this.ports.send(address, { text: campaign.messages[part].text, broadcast: true });
      } catch (error) {
        return this.failed({ ...delivery, attempts: delivery.attempts + 1 }, address, error, part);
      }
      if (part < last) await this.models.deliveries.updateOne({ _id: delivery._id }, { $set: { partsSent: part + 1 } });
    }
    await this.models.deliveries.updateOne({ _id: delivery._id }, { $set: { status: 'sent', partsSent: last + 1, attempts: delivery.attempts + 1, sentAt: this.clock(), reason: null } });
  }

  private async claim(id: string): Promise<boolean> {
    try {
      await this.models.claims.create({ _id: id, claimedAt: this.clock() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Another instance holds this call; if it has for longer than a call can take, it died mid-call. */
  private async inDoubtIfAbandoned(delivery: BroadcastDeliveryDoc, claimId: string): Promise<void> {
    const claim = await this.models.claims.findOne({ _id: claimId }).lean();
    if (!claim || this.clock().getTime() - claim.claimedAt.getTime() < this.leaseMs) return;
    await this.models.deliveries.updateOne({ _id: delivery._id, status: 'pending' }, { $set: { status: 'in_doubt', reason: 'the process stopped during the platform call; not resent' } });
    log.warn({ delivery: delivery._id }, 'broadcast delivery in doubt after a stopped process; not resent');
  }

  private async failed(delivery: BroadcastDeliveryDoc, address: ChatAddress, error: unknown, part: number): Promise<void> {
    const failure = this.ports.classify(address, error);
    const attempts = delivery.attempts;
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
}
