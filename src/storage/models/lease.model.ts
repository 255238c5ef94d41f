import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

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
// Serves the housekeeping job that prunes leases long expired.
schema.index({ expiresAt: 1 });

export function leaseModel(connection: Connection): Model<LeaseDoc> {
  return registerModel<LeaseDoc>(connection, 'Lease', schema);
}
