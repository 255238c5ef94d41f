import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * One-time actions on a report ("<report>:accept", "<report>:assess",
 * "<report>:close"). The unique `_id` insert decides which of two officers
 * pressing at once wins; the loser is told who was first.
 */
export interface ReportActionDoc {
  _id: string;
  actorName: string | null;
  at: Date;
  /** The report's version when the claim was made: a claim whose report is still at it, long after, was never completed (its holder died). */
  version?: number;
}

const schema = new Schema<ReportActionDoc>(
  { _id: { type: String, required: true }, actorName: { type: String, default: null }, at: { type: Date, required: true }, version: { type: Number } },
  { versionKey: false, autoIndex: false, collection: 'report_actions' },
);

export function reportActionModel(connection: Connection): Model<ReportActionDoc> {
  return registerModel<ReportActionDoc>(connection, 'ReportAction', schema);
}
