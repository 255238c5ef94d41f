import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A service instance that is sending broadcasts, with when it last said so:
 * instances sending at once split the overall rate limit between them.
 * Each instance writes only its own document.
 */
export interface BroadcastSenderDoc {
  _id: string;
  lastSeenAt: Date;
}

const schema = new Schema<BroadcastSenderDoc>(
  { _id: { type: String, required: true }, lastSeenAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'broadcast_senders' },
);

export function broadcastSenderModel(connection: Connection): Model<BroadcastSenderDoc> {
  return registerModel<BroadcastSenderDoc>(connection, 'BroadcastSender', schema);
}
