import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { ZALO_CONTACTS_KEPT_MS, ttlSeconds } from '../retention-periods';

/**
 * A Zalo user the OA talks to, by pseudonym: when they last wrote, which
 * opens Zalo's 7-day window for consultation messages.
 */
export interface ZaloContactDoc {
  _id: string;
  lastInboundAt: Date;
}

const schema = new Schema<ZaloContactDoc>(
  { _id: { type: String, required: true }, lastInboundAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'zalo_contacts' },
);

// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ lastInboundAt: 1 }, { expireAfterSeconds: ttlSeconds(ZALO_CONTACTS_KEPT_MS) });

export function zaloContactModel(connection: Connection): Model<ZaloContactDoc> {
  return registerModel<ZaloContactDoc>(connection, 'ZaloContact', schema);
}
