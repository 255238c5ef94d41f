import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { LEDGER_RETENTION_MS, ttlSeconds } from '../retention-periods';

/**
 * A claim on one attempt of one delivery. Inserting `<delivery>#<attempt>`
 * succeeds for exactly one worker across all instances: that is the lock.
 */
export interface DeliveryClaimDoc {
  _id: string;
  claimedAt: Date;
}

const schema = new Schema<DeliveryClaimDoc>(
  { _id: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'delivery_claims' },
);
// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ claimedAt: 1 }, { expireAfterSeconds: ttlSeconds(LEDGER_RETENTION_MS) });

export function deliveryClaimModel(connection: Connection): Model<DeliveryClaimDoc> {
  return registerModel<DeliveryClaimDoc>(connection, 'DeliveryClaim', schema);
}
