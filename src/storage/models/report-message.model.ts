import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * The thread between a tip's desk and its reporter: officer replies relayed
 * to the reporter, and what the reporter adds later. Neither side's account
 * is stored here: only the unit and the direction.
 */
export interface ReportMessageDoc {
  _id: string;
  reportId: string;
  direction: 'to_reporter' | 'from_reporter';
  unitId: string | null;
  /** What was written, encrypted (it names people). */
  textEnc?: string | null;
  /** Messages stored before they were encrypted; the re-encryption job moves them to `textEnc`. */
  text?: string | null;
  evidenceId: string | null;
  at: Date;
}

const schema = new Schema<ReportMessageDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, required: true },
    direction: { type: String, required: true, enum: ['to_reporter', 'from_reporter'] },
    unitId: { type: String, default: null },
    textEnc: { type: String, default: null },
    text: { type: String },
    evidenceId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'report_messages' },
);
// Serves the thread on a forwarded case's card (FollowupService.threadOf: a case's latest messages).
schema.index({ reportId: 1, at: 1 });

export function reportMessageModel(connection: Connection): Model<ReportMessageDoc> {
  return registerModel<ReportMessageDoc>(connection, 'ReportMessage', schema);
}
