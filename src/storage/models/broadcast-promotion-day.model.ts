import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { LEDGER_RETENTION_MS, ttlSeconds } from '../retention-periods';

/**
 * A Zalo promotion message sent to a follower on a Vietnam day: `_id` is
 * "<recipient>|<YYYY-MM-DD>", unique, so each follower gets at most one a
 * day across campaigns and instances.
 */
export interface BroadcastPromotionDayDoc {
  _id: string;
  deliveryId: string;
  at: Date;
}

const schema = new Schema<BroadcastPromotionDayDoc>(
  { _id: { type: String, required: true }, deliveryId: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'broadcast_promotion_days' },
);

// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ at: 1 }, { expireAfterSeconds: ttlSeconds(LEDGER_RETENTION_MS) });

export function broadcastPromotionDayModel(connection: Connection): Model<BroadcastPromotionDayDoc> {
  return registerModel<BroadcastPromotionDayDoc>(connection, 'BroadcastPromotionDay', schema);
}
