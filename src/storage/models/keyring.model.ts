import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * Keys the service keeps in its own database, each encrypted under the data
 * key (DATA_ENCRYPTION_KEY): today the pseudonym key, which must outlive any
 * rotation of the data key because every pseudonym was made with it.
 */
export interface KeyringDoc {
  _id: string;
  keyEnc: string;
  createdAt: Date;
}

const schema = new Schema<KeyringDoc>(
  { _id: { type: String, required: true }, keyEnc: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'keyring' },
);

export function keyringModel(connection: Connection): Model<KeyringDoc> {
  return registerModel<KeyringDoc>(connection, 'Keyring', schema);
}
