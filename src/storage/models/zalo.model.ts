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

/** A webhook event recorded before Zalo is answered, then processed; kept pending until handled. */
export interface ZaloEventDoc {
  _id: string;
  bodyEnc: string;
  status: 'pending' | 'done';
  receivedAt: Date;
}

/**
 * A Zalo user the OA talks to, by pseudonym: when they last wrote, which
 * opens Zalo's 7-day window for consultation messages.
 */
export interface ZaloContactDoc {
  _id: string;
  lastInboundAt: Date;
}

/** A message held because its Zalo user was outside the interaction window; sent when they next write. */
export interface ZaloHeldMessageDoc {
  _id: string;
  /** Pseudonym of the Zalo user id. */
  contactKey: string;
  /** Encrypted JSON of the user id and the message. */
  bodyEnc: string;
  createdAt: Date;
}

const tokenSchema = new Schema<ZaloTokenDoc>(
  {
    _id: { type: String, required: true },
    accessTokenEnc: { type: String, default: null },
    refreshTokenEnc: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_tokens' },
);

const eventSchema = new Schema<ZaloEventDoc>(
  {
    _id: { type: String, required: true },
    bodyEnc: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'done'] },
    receivedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_events' },
);
// Serves the recovery round: events recorded but not yet handled.
eventSchema.index({ status: 1, receivedAt: 1 });

const contactSchema = new Schema<ZaloContactDoc>(
  { _id: { type: String, required: true }, lastInboundAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'zalo_contacts' },
);

const heldSchema = new Schema<ZaloHeldMessageDoc>(
  {
    _id: { type: String, required: true },
    contactKey: { type: String, required: true },
    bodyEnc: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'zalo_held_messages' },
);
// Serves delivering a user's held messages, oldest first, when they write again.
heldSchema.index({ contactKey: 1, createdAt: 1 });

export function zaloModels(connection: Connection) {
  return {
    zaloTokens: registerModel<ZaloTokenDoc>(connection, 'ZaloToken', tokenSchema) as Model<ZaloTokenDoc>,
    zaloEvents: registerModel<ZaloEventDoc>(connection, 'ZaloEvent', eventSchema) as Model<ZaloEventDoc>,
    zaloContacts: registerModel<ZaloContactDoc>(connection, 'ZaloContact', contactSchema) as Model<ZaloContactDoc>,
    zaloHeld: registerModel<ZaloHeldMessageDoc>(connection, 'ZaloHeldMessage', heldSchema) as Model<ZaloHeldMessageDoc>,
  };
}
