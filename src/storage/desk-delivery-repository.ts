import type { Model } from 'mongoose';
import { claimAttempt } from './attempt-claim';
import { insertManyOnce } from './claims';
import type { DeliveryClaimDoc } from './models/delivery-claim.model';
import type { DeskDeliveryDoc } from './models/desk-delivery.model';
import type { OnBehalfOf } from '../core/report';

/**
 * Each case's card in each desk that must have it (`desk_deliveries`, one
 * record per case and desk, `_id` "<report>:<desk>"): created when the case
 * is routed, retried until the desk chat accepts the card, then kept with the
 * card's message id so later notices go under it and the card can be edited.
 */
export class DeskDeliveryRepository {
  constructor(
    private readonly deliveries: Model<DeskDeliveryDoc>,
    private readonly claims: Model<DeliveryClaimDoc>,
  ) {}

  /** The record of one case's card in one desk (by `_id`). */
  cardIn(reportId: string, deskId: string): Promise<DeskDeliveryDoc | null> {
    return this.deliveries.findOne({ _id: deliveryId(reportId, deskId) }).lean();
  }

  /**
   * The desks that have a case's card (index `reportId`). On FerretDB v1 a
   * scan of desk_deliveries: a named exception on officer actions (cards are
   * refreshed after each), not on the tip flow.
   */
  sentFor(reportId: string): Promise<DeskDeliveryDoc[]> {
    return this.deliveries.find({ reportId, status: 'sent' }).lean();
  }

  /**
   * A case's card on its way to these desks (each for its own unit, or on
   * behalf of others), in one insert, its first
   * attempt held by the caller for `leaseMs` (so nobody else sends it
   * meanwhile). Returns the records it created; one already there (a case
   * planned twice) is left as it is.
   */
  async plan(reportId: string, targets: { deskId: string; onBehalfOf: OnBehalfOf | null }[], now: Date, leaseMs: number, urgent: boolean): Promise<DeskDeliveryDoc[]> {
    const docs: DeskDeliveryDoc[] = targets.map(({ deskId, onBehalfOf }) => ({
      _id: deliveryId(reportId, deskId),
      reportId,
      deskId,
      status: 'pending',
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + leaseMs),
      lastError: null,
      sentAt: null,
      messageRef: null,
      createdAt: now,
      onBehalfOf,
      urgent,
    }));
    const taken = new Set(await insertManyOnce(this.deliveries, docs));
    return docs.filter((doc) => !taken.has(doc._id));
  }

  /** Cards due to be sent: those of tips happening now first, then soonest first (index `status, urgent, nextAttemptAt`). */
  due(now: Date, limit: number): Promise<DeskDeliveryDoc[]> {
    return this.deliveries.find({ status: 'pending', nextAttemptAt: { $lte: now } }).sort({ urgent: -1, nextAttemptAt: 1 }).limit(limit).lean();
  }

  /** Claims the next attempt at a card (see claimAttempt): false when another worker has it. */
  claimNextAttempt(delivery: DeskDeliveryDoc, now: Date, leaseMs: number): Promise<boolean> {
    return claimAttempt(this.claims, delivery._id, delivery.attempts, now, leaseMs, (attempts, nextAttemptAt) =>
      this.deliveries.updateOne({ _id: delivery._id, attempts: delivery.attempts }, { $set: nextAttemptAt ? { attempts, nextAttemptAt } : { attempts } }),
    );
  }

  /** The desk chat accepted the card (`messageRef`: the platform's id of it); or there is nothing left to send (`note`). */
  async markSent(id: string, at: Date, messageRef: string | null, note: string | null = null): Promise<void> {
    await this.deliveries.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at, lastError: note, messageRef } });
  }

  /** Puts a desk's due cards back until `until` (one update: its chat refuses cards just now). */
  async deferDue(deskId: string, now: Date, until: Date): Promise<void> {
    await this.deliveries.updateMany({ deskId, status: 'pending', nextAttemptAt: { $lte: now } }, { $set: { nextAttemptAt: until } });
  }

  async retryAt(id: string, at: Date, error: string): Promise<void> {
    await this.deliveries.updateOne({ _id: id }, { $set: { nextAttemptAt: at, lastError: error.slice(0, 500) } });
  }
}

function deliveryId(reportId: string, deskId: string): string {
  return `${reportId}:${deskId}`;
}
