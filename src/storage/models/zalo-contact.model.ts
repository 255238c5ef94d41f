import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

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

export function zaloContactModel(connection: Connection): Model<ZaloContactDoc> {
  return registerModel<ZaloContactDoc>(connection, 'ZaloContact', schema);
}
