import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { BroadcastDeliveryDoc } from './broadcast-delivery.model';

/** A delivery to try again later (after a 429, a transient error, Zalo's night hours): `_id` "<delivery>#<attempt>". */
export interface BroadcastRetryDoc {
  _id: string;
  deliveryId: string;
  runId: string;
  campaignId: string;
  recipient: BroadcastDeliveryDoc['recipient'];
  attempt: number;
  partsSent: number;
  dueAt: Date;
}

const schema = new Schema<BroadcastRetryDoc>(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true },
    runId: { type: String, required: true },
    campaignId: { type: String, required: true },
    recipient: { kind: String, key: String },
    attempt: { type: Number, required: true },
    partsSent: { type: Number, required: true },
    dueAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_retries' },
);
// Serves the retry round: retries that are due.
schema.index({ dueAt: 1 });
// The dispatcher's count of a run's retries left, and the retention sweep (a settled run's retries).
schema.index({ runId: 1 });

export function broadcastRetryModel(connection: Connection): Model<BroadcastRetryDoc> {
  return registerModel<BroadcastRetryDoc>(connection, 'BroadcastRetry', schema);
}
