import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A webhook event recorded before Zalo is answered, then processed; kept
 * pending until handled, retried by the recovery round with backoff from
 * `retryAt`, and given up (`failed`, with its attempts) after a bounded
 * number of tries.
 */
export interface ZaloEventDoc {
  _id: string;
  bodyEnc: string;
  status: 'pending' | 'done' | 'failed';
  receivedAt: Date;
  /** When the recovery round may next try it (absent on events recorded before retries were scheduled). */
  retryAt?: Date;
  attempts?: number;
}

const schema = new Schema<ZaloEventDoc>(
  {
    _id: { type: String, required: true },
    bodyEnc: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'done', 'failed'] },
    receivedAt: { type: Date, required: true },
    retryAt: { type: Date },
    attempts: { type: Number, default: 0 },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_events' },
);
// Serves the recovery round: events recorded but not yet handled whose next try is due.
schema.index({ status: 1, retryAt: 1 });

export function zaloEventModel(connection: Connection): Model<ZaloEventDoc> {
  return registerModel<ZaloEventDoc>(connection, 'ZaloEvent', schema);
}
