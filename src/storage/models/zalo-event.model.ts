import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/** A webhook event recorded before Zalo is answered, then processed; kept pending until handled. */
export interface ZaloEventDoc {
  _id: string;
  bodyEnc: string;
  status: 'pending' | 'done';
  receivedAt: Date;
}

const schema = new Schema<ZaloEventDoc>(
  {
    _id: { type: String, required: true },
    bodyEnc: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'done'] },
    receivedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_events' },
);
// Serves the recovery round: events recorded but not yet handled.
schema.index({ status: 1, receivedAt: 1 });

export function zaloEventModel(connection: Connection): Model<ZaloEventDoc> {
  return registerModel<ZaloEventDoc>(connection, 'ZaloEvent', schema);
}
