import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { ZALO_CONTACTS_KEPT_MS, ttlSeconds } from '../retention-periods';

/** A message held because its Zalo user was outside the interaction window; sent when they next write. */
export interface ZaloHeldMessageDoc {
  _id: string;
  /** Pseudonym of the Zalo user id. */
  contactKey: string;
  /** Encrypted JSON of the user id and the message. */
  bodyEnc: string;
  createdAt: Date;
}

const schema = new Schema<ZaloHeldMessageDoc>(
  {
    _id: { type: String, required: true },
    contactKey: { type: String, required: true },
    bodyEnc: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_held_messages' },
);
// Serves delivering a user's held messages, oldest first, when they write again.
schema.index({ contactKey: 1, createdAt: 1 });

// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ createdAt: 1 }, { expireAfterSeconds: ttlSeconds(ZALO_CONTACTS_KEPT_MS) });

export function zaloHeldMessageModel(connection: Connection): Model<ZaloHeldMessageDoc> {
  return registerModel<ZaloHeldMessageDoc>(connection, 'ZaloHeldMessage', schema);
}
