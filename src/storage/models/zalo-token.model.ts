import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * The Zalo Official Account's token pair (one document, `_id: "oa"`). The
 * refresh token is single use, so the new pair is saved before it is used.
 * Both tokens are encrypted.
 */
export interface ZaloTokenDoc {
  _id: string;
  accessTokenEnc: string | null;
  refreshTokenEnc: string;
  /** When the access token stops working; it is refreshed a little before. */
  expiresAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ZaloTokenDoc>(
  {
    _id: { type: String, required: true },
    accessTokenEnc: { type: String, default: null },
    refreshTokenEnc: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_tokens' },
);

export function zaloTokenModel(connection: Connection): Model<ZaloTokenDoc> {
  return registerModel<ZaloTokenDoc>(connection, 'ZaloToken', schema);
}
