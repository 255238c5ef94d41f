import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { LEDGER_RETENTION_MS, ttlSeconds } from '../retention-periods';

/**
 * Ledger of turns: inbound platform events (a Telegram update_id, a web chat
 * message id) and the conversation versions claimed for them
 * ("v:<chat key>#<n>"). The unique `_id` insert is what makes a redelivered
 * event handled once, and one writer per version, across restarts and
 * instances. Both are written by one insert command per event.
 */
export interface InboxDoc {
  _id: string;
  receivedAt: Date;
  /** On an event: the chat it moved and the version it claimed (it was handled once that chat's state reached it). */
  chat?: string;
  version?: number;
  /** Only on entries of the older layout ("processing" until marked done). */
  status?: 'processing' | 'done';
}

const schema = new Schema<InboxDoc>(
  {
    _id: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    chat: { type: String },
    version: { type: Number },
    status: { type: String, enum: ['processing', 'done'] },
  },
  { versionKey: false, autoIndex: false, collection: 'inbox' },
);
// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ receivedAt: 1 }, { expireAfterSeconds: ttlSeconds(LEDGER_RETENTION_MS) });

export function inboxModel(connection: Connection): Model<InboxDoc> {
  return registerModel<InboxDoc>(connection, 'Inbox', schema);
}
