import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * Ledger of inbound platform events (a Telegram update_id, a web chat message
 * id). The unique `_id` insert is what makes a redelivered event handled once,
 * across restarts and instances.
 */
export interface InboxDoc {
  _id: string;
  status: 'processing' | 'done';
  receivedAt: Date;
  doneAt: Date | null;
}

const schema = new Schema<InboxDoc>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true, enum: ['processing', 'done'] },
    receivedAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false, autoIndex: false, collection: 'inbox' },
);
// Serves the housekeeping job that prunes old ledger entries.
schema.index({ receivedAt: 1 });

export function inboxModel(connection: Connection): Model<InboxDoc> {
  return registerModel<InboxDoc>(connection, 'Inbox', schema);
}
