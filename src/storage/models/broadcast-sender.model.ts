import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { LEDGER_RETENTION_MS, ttlSeconds } from '../retention-periods';

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

// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ lastSeenAt: 1 }, { expireAfterSeconds: ttlSeconds(LEDGER_RETENTION_MS) });

export function broadcastSenderModel(connection: Connection): Model<BroadcastSenderDoc> {
  return registerModel<BroadcastSenderDoc>(connection, 'BroadcastSender', schema);
}
