import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * One reminder about one deadline of one tip: "<report>:<kind>:<due time>".
 * Inserting it is the lock that keeps two service instances from both
 * reminding; an extended deadline has a new due time, so it is reminded anew.
 */
export interface ReminderDoc {
  _id: string;
  reportId: string;
  sentAt: Date;
}

const schema = new Schema<ReminderDoc>(
  { _id: { type: String, required: true }, reportId: { type: String, required: true }, sentAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'deadline_reminders' },
);
// Reminders are claimed by `_id`. This serves looking up one tip's reminders by hand.
schema.index({ reportId: 1 });
// Serves the retention sweep: reminders sent long ago (kept while their tip is open).
schema.index({ sentAt: 1 });

export function reminderModel(connection: Connection): Model<ReminderDoc> {
  return registerModel<ReminderDoc>(connection, 'Reminder', schema);
}
