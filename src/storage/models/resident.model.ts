import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A resident who consented to the privacy notice. Created only at consent.
 * `_id` is the same pseudonym as their conversation; the chat id needed to
 * reach them again is kept only encrypted.
 */
export interface ResidentDoc {
  _id: string;
  channel: string;
  chatRefEnc: string;
  consentAt: Date;
  consentVersion: number;
  lang: string;
  createdAt: Date;
}

const schema = new Schema<ResidentDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    chatRefEnc: { type: String, required: true },
    consentAt: { type: Date, required: true },
    consentVersion: { type: Number, required: true },
    lang: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'residents' },
);

export function residentModel(connection: Connection): Model<ResidentDoc> {
  return registerModel<ResidentDoc>(connection, 'Resident', schema);
}
