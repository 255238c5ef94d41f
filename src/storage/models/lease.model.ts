import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { LEDGER_RETENTION_MS, ttlSeconds } from '../retention-periods';

/**
 * Locks with a lease, for work that one instance at a time should do (a
 * Zalo token refresh): taken by inserting the `_id`, taken over once
 * `expiresAt` has passed (see storage/claims.ts).
 */
export interface LeaseDoc {
  _id: string;
  expiresAt: Date;
}

const schema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'leases' },
);
// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ expiresAt: 1 }, { expireAfterSeconds: ttlSeconds(LEDGER_RETENTION_MS) });

export function leaseModel(connection: Connection): Model<LeaseDoc> {
  return registerModel<LeaseDoc>(connection, 'Lease', schema);
}
