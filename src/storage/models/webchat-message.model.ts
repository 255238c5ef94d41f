import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { WEBCHAT_MESSAGES_KEPT_MS, ttlSeconds } from '../retention-periods';

/**
 * Messages from the bot to a local web chat session, kept until the page
 * fetches them (the page polls with the last id it has seen).
 */
export interface WebchatMessageDoc {
  _id: string;
  /** Pseudonym of the web chat session id. */
  chatKey: string;
  seq: number;
  /** The rendered message, encrypted: it can hold a tip's review. "" for the mark /xoadulieu leaves (see WebchatChannel.forgetChat). */
  body: string;
  createdAt: Date;
}

const schema = new Schema<WebchatMessageDoc>(
  {
    _id: { type: String, required: true },
    chatKey: { type: String, required: true },
    seq: { type: Number, required: true },
    body: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'webchat_messages' },
);
// Serves the page's poll (messages of one chat after a sequence number) and makes seq unique per chat.
schema.index({ chatKey: 1, seq: 1 }, { unique: true });

// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ createdAt: 1 }, { expireAfterSeconds: ttlSeconds(WEBCHAT_MESSAGES_KEPT_MS) });

export function webchatMessageModel(connection: Connection): Model<WebchatMessageDoc> {
  return registerModel<WebchatMessageDoc>(connection, 'WebchatMessage', schema);
}
