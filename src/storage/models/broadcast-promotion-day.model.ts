import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

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

export function broadcastPromotionDayModel(connection: Connection): Model<BroadcastPromotionDayDoc> {
  return registerModel<BroadcastPromotionDayDoc>(connection, 'BroadcastPromotionDay', schema);
}
