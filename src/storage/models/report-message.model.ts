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
  text: string | null;
  evidenceId: string | null;
  at: Date;
}

const schema = new Schema<ReportMessageDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, required: true },
    direction: { type: String, required: true, enum: ['to_reporter', 'from_reporter'] },
    unitId: { type: String, default: null },
    text: { type: String, default: null },
    evidenceId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'report_messages' },
);
// No query of the service reads the thread back yet: this serves reading one tip's thread in order by hand (an inspection).
schema.index({ reportId: 1, at: 1 });

export function reportMessageModel(connection: Connection): Model<ReportMessageDoc> {
  return registerModel<ReportMessageDoc>(connection, 'ReportMessage', schema);
}
