import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { AuditEntryDoc } from './audit-log.model';
import type { ReportMessageDoc } from './report-message.model';

/**
 * What an officer's change to a report owes once written: its audit entry,
 * the reporter's notice, the cards of the units it went to. Recorded before
 * the report's write and removed once all of it is done, so a crash between
 * the write and its consequences is completed by the sweep (ReportChanges).
 * `_id` is "<report>:v<version the change gives it>": the version claim
 * already makes one writer the only one to write that version.
 */
export interface ReportChangeDoc {
  _id: string;
  reportId: string;
  version: number;
  /** The audit entry, written with the record's `_id`, its report and its time. */
  audit: Omit<AuditEntryDoc, '_id' | 'reportId' | 'at'>;
  /** The reporter's notice (JSON, encrypted: a session's place is in it), and whom it is for. */
  notice: { residentKey: string; bodyEnc: string } | null;
  /** Units the report was forwarded to by this change: their desks get its card. */
  forwardedTo: string[];
  /** A message of the case's thread this action writes (an officer's words to the reporter, already encrypted). */
  threadMessage?: ReportMessageDoc | null;
  /** Whether the desks' cards show something new (false for a message to the reporter). */
  cards?: boolean;
  at: Date;
}

const schema = new Schema<ReportChangeDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, required: true },
    version: { type: Number, required: true },
    audit: { type: Schema.Types.Mixed, required: true },
    notice: { type: Schema.Types.Mixed, default: null },
    forwardedTo: { type: [String], default: [] },
    threadMessage: { type: Schema.Types.Mixed, default: null },
    cards: { type: Boolean, default: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'report_changes', minimize: false },
);
// Serves the sweep: changes left owing past a grace time (the collection holds only those not completed yet).
schema.index({ at: 1 });

export function reportChangeModel(connection: Connection): Model<ReportChangeDoc> {
  return registerModel<ReportChangeDoc>(connection, 'ReportChange', schema);
}
