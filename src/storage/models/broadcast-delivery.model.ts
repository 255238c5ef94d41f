import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * One recipient of one run: `_id` is "<run>|<recipient>", unique, so nobody
 * is materialized twice. Never updated: what happened to it is an outcome.
 */
export interface BroadcastDeliveryDoc {
  _id: string;
  runId: string;
  campaignId: string;
  recipient: { kind: 'resident' | 'group'; key: string };
}

const schema = new Schema<BroadcastDeliveryDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    campaignId: { type: String, required: true },
    recipient: { kind: { type: String, required: true }, key: { type: String, required: true } },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_deliveries' },
);
// Serves streaming a run's recipients in id order.
schema.index({ runId: 1, _id: 1 });

export function broadcastDeliveryModel(connection: Connection): Model<BroadcastDeliveryDoc> {
  return registerModel<BroadcastDeliveryDoc>(connection, 'BroadcastDelivery', schema);
}
