import type { Model } from 'mongoose';
import type { ChatAddress } from '../../core/chat';
import { startOfVietnamDay, vietnamDate } from '../../shared/vietnam-time';
import { insertOnce } from '../../storage/claims';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import type { BroadcastPorts } from './broadcast-ports';
import type { Attempt, DeliveryLedger, Settled } from './delivery-ledger';
import type { RateLimiter } from './rate-limiter';
import { afterQuietHours, ZALO_NIGHT } from './schedule';
import type { SenderMembership } from './sender-membership';
import type { BroadcastPromotionDayDoc } from '../../storage/models/broadcast-promotion-day.model';

/**
 * A Zalo follower outside the 7-day window gets the whole campaign as one
 * promotion message (its texts not sent yet, the first of their pictures as
 * the banner), at most one a Vietnam day per follower across campaigns and
 * instances (a unique insert per follower and day, made after the call's
 * claim). A follower who had today's already gets this one tomorrow from
 * 06:00. A send that failed gives the day back.
 */
export class ZaloPromotion {
  constructor(
    private readonly promotionDays: Model<BroadcastPromotionDayDoc>,
    private readonly parts: { ledger: DeliveryLedger; limiter: RateLimiter; membership: SenderMembership; ports: BroadcastPorts },
    private readonly clock: () => Date,
  ) {}

  /** @param failed what a failed send comes to (retry, blocked, failed), as for any broadcast call */
  async send(campaign: CampaignDoc, a: Attempt, address: ChatAddress, failed: (a: Attempt, error: unknown) => Promise<Settled>): Promise<Settled> {
    const { ledger, limiter, membership, ports } = this.parts;
    await limiter.acquire(`${address.channel}:${address.chatId}`, false);
    const claimId = `bc:${a.deliveryId}#${a.attempt}:promotion`;
    if (!(await ledger.claim(claimId))) return ledger.alreadyClaimed(a, claimId);
    await membership.heartbeat();
    await limiter.depart();
    const now = this.clock();
    const { year, month, day } = vietnamDate(now);
    const dayId = `${a.recipient.key}|${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (!(await insertOnce(this.promotionDays, { _id: dayId, deliveryId: a.deliveryId, at: now }))) {
      const tomorrow = new Date(startOfVietnamDay(now).getTime() + 24 * 3_600_000);
      return ledger.retryLater(a, a.attempt + 1, afterQuietHours(ZALO_NIGHT, tomorrow));
    }
    // What this follower has not had yet (a retry after the window closed mid-campaign carries on from there).
    const messages = campaign.messages.slice(a.partsSent);
    const image = messages.find((m) => m.image)?.image;
    try {
      await ports.send(address, { text: messages.map((m) => m.text).join('\n\n'), image: image ? ports.attachment(image) : undefined, broadcast: true, promotion: true });
    } catch (error) {
      await this.promotionDays.deleteOne({ _id: dayId });
      return failed(a, error);
    }
    return ledger.outcome(a, 'sent', 'promotion');
  }
}
