import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { OnBehalfOf } from '../../core/report';

/**
 * One tip to one desk. Created when the tip is stored, retried with backoff
 * until the desk chat accepts it, and kept as the record of the delivery.
 */
export interface DeskDeliveryDoc {
  _id: string;
  reportId: string;
  deskId: string;
  status: 'pending' | 'sent';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
  /** The platform id of the card in the desk chat, so it can be edited as the tip's status changes. */
  messageRef: string | null;
  createdAt: Date;
  /**
   * Set when this desk gets the card for other units: they have no desk yet
   * (`no_desk`, the fallback unit's desk), or left it unaccepted past its
   * deadline (`escalated`, the unit they escalate to). Such a card is for
   * reading: it says who the case is meant for, and has no buttons.
   */
  onBehalfOf?: OnBehalfOf | null;
  /** The card of a tip happening now: sent before any other waiting card. */
  urgent?: boolean;
}

const schema = new Schema<DeskDeliveryDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, required: true },
    deskId: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'sent'] },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
    messageRef: { type: String, default: null },
    createdAt: { type: Date, required: true },
    urgent: { type: Boolean, default: false },
    onBehalfOf: { type: { _id: false, unitIds: [String], reason: { type: String, enum: ['no_desk', 'escalated'] } }, default: null },
  },
  { versionKey: false, autoIndex: false, collection: 'desk_deliveries' },
);
// DeskDeliveryRepository.due and holdDesk: pending deliveries that are due, urgent first. Partial: a sent delivery (nearly all of them,
// kept as the record) is not in it, so the index stays the size of the pending work (MongoDB; FerretDB v1 creates only unique indexes).
schema.index({ status: 1, urgent: -1, nextAttemptAt: 1 }, { partialFilterExpression: { status: 'pending' } });
// DeskDeliveryRepository.sentFor: the desks that have a case's card (notices under it, card refreshes).
schema.index({ reportId: 1 });

export function deskDeliveryModel(connection: Connection): Model<DeskDeliveryDoc> {
  return registerModel<DeskDeliveryDoc>(connection, 'DeskDelivery', schema);
}
