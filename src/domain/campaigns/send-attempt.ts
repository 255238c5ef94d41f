import type { ChatAddress } from '../../core/chat';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import type { Audience } from './audience';
import type { BroadcastPorts } from './broadcast-ports';
import type { Attempt, DeliveryLedger, Settled } from './delivery-ledger';
import type { RateLimiter } from './rate-limiter';
import { afterQuietHours, inQuietHours, ZALO_NIGHT } from './schedule';
import type { SenderMembership } from './sender-membership';
import type { ZaloPromotion } from './zalo-promotion';

/** Tries of one delivery through transient failures: 2 s doubling to 5 min apart, so a platform outage of about 13 minutes is waited out. */
const MAX_ATTEMPTS = 10;
const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * One attempt at one broadcast delivery: each of the campaign's messages is
 * one platform call, paced by the rate limiter and claimed just before it is
 * made, so no instance ever makes it twice. What happened is recorded once:
 * sent, skipped by rule, blocked, failed, or a retry scheduled (429s,
 * transient errors, Zalo's night hours).
 */
export class SendAttempt {
  constructor(
    private readonly parts: {
      ledger: DeliveryLedger;
      limiter: RateLimiter;
      membership: SenderMembership;
      audience: Pick<Audience, 'resolve' | 'drop'>;
      ports: BroadcastPorts;
      /** Zalo followers outside the 7-day window, when promotion messages are on (ZALO_PROMOTION). */
      promotion: ZaloPromotion | null;
    },
    private readonly clock: () => Date,
  ) {}

  /** True once the delivery has an outcome or a retry scheduled. */
  async run(campaign: CampaignDoc, a: Attempt): Promise<Settled> {
    const { ledger, limiter, membership, audience, ports, promotion } = this.parts;
    // Another sender's part: settled once that sender recorded it; until then looked at again (and taken over if that sender stops).
    if (!membership.owns(a.deliveryId)) return ledger.settledElsewhere(a);
    const now = this.clock();
    const address = await audience.resolve(a.recipient);
    if (typeof address === 'string') return ledger.outcome(a, 'skipped', address);
    if (address.channel === 'zalo') {
      // Zalo: never at night (22:00–06:00), and only within the user's 7-day window.
      if (inQuietHours(ZALO_NIGHT, now)) return ledger.retryLater(a, a.attempt, afterQuietHours(ZALO_NIGHT, now));
      if (!(await ports.reachableNow(address))) {
        return promotion ? promotion.send(campaign, a, address, (failedAt, error) => this.failed(failedAt, address, error)) : ledger.outcome(a, 'skipped', 'outside_window');
      }
    }
    const last = campaign.messages.length - 1;
    for (let part = a.partsSent; part <= last; part += 1) {
      await limiter.acquire(`${address.channel}:${address.chatId}`, a.recipient.kind === 'group');
      const claimId = `bc:${a.deliveryId}#${a.attempt}:${part}`;
      if (!(await ledger.claim(claimId))) return ledger.alreadyClaimed(a, claimId);
      await membership.heartbeat();
      await limiter.depart();
      try {
        const { text, image } = campaign.messages[part];
        await ports.send(address, { text, image: image ? ports.attachment(image) : undefined, broadcast: true });
      } catch (error) {
        return this.failed({ ...a, partsSent: part }, address, error);
      }
    }
    return ledger.outcome(a, 'sent', null);
  }

  /** What a failed call comes to: a 429 pauses every send for its retry_after; a blocked recipient is dropped. */
  private async failed(a: Attempt, address: ChatAddress, error: unknown): Promise<Settled> {
    const { ledger, limiter, audience, ports } = this.parts;
    const failure = ports.classify(address, error);
    const reason = (error as Error).message?.slice(0, 200) ?? 'failed';
    switch (failure.kind) {
      case 'rate_limited':
        limiter.pause(failure.retryAfterMs);
        return ledger.retryLater(a, a.attempt + 1, new Date(this.clock().getTime() + failure.retryAfterMs));
      case 'blocked':
        await audience.drop(a.recipient);
        return ledger.outcome(a, 'blocked', 'blocked the bot or removed it');
      case 'outside_window':
        return ledger.outcome(a, 'skipped', 'outside_window');
      case 'transient':
        if (a.attempt < MAX_ATTEMPTS) return ledger.retryLater(a, a.attempt + 1, new Date(this.clock().getTime() + Math.min(2 ** a.attempt * 1000, MAX_RETRY_DELAY_MS)));
        return ledger.outcome(a, 'failed', reason);
      case 'permanent':
        return ledger.outcome(a, 'failed', reason);
    }
  }
}
