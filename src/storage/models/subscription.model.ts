import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/** A resident's subscription to prevention campaigns: their ward and topics. `_id` is the resident's pseudonymous key. */
export interface SubscriptionDoc {
  _id: string;
  /** Encrypted ChatAddress, so a broadcast reaches a subscriber with one read (that also proves they are still subscribed). */
  addressEnc: string;
  wardId: string;
  topics: string[];
  createdAt: Date;
}

const schema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    addressEnc: { type: String, required: true },
    wardId: { type: String, required: true },
    topics: { type: [String], required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'subscriptions' },
);
// Serves materializing a run: subscribers of a ward and topic, streamed in key order.
schema.index({ wardId: 1, topics: 1, _id: 1 });
// Audience for a run to every ward: subscribers of a topic in `_id` order (the ward index has no usable prefix without a ward).
schema.index({ topics: 1, _id: 1 });

export function subscriptionModel(connection: Connection): Model<SubscriptionDoc> {
  return registerModel<SubscriptionDoc>(connection, 'Subscription', schema);
}
