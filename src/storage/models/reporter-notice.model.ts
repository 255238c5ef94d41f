import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A message owed to a reporter (their tip was accepted, forwarded, closed, or
 * an officer wrote): kept until their chat accepts it. The body is encrypted;
 * the reporter is named only by their pseudonymous key.
 */
export interface ReporterNoticeDoc {
  _id: string;
  residentKey: string;
  bodyEnc: string;
  status: 'pending' | 'sent' | 'dropped';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

const schema = new Schema<ReporterNoticeDoc>(
  {
    _id: { type: String, required: true },
    residentKey: { type: String, required: true },
    bodyEnc: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'sent', 'dropped'] },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { versionKey: false, autoIndex: false, collection: 'reporter_notices' },
);
// ReporterNotices.flush: pending notices that are due. Partial: delivered ones (kept a day without their body) are not in it.
schema.index({ status: 1, nextAttemptAt: 1 }, { partialFilterExpression: { status: 'pending' } });
// Serves /xoadulieu: a forgotten reporter's pending notices are dropped.
schema.index({ residentKey: 1 });

export function reporterNoticeModel(connection: Connection): Model<ReporterNoticeDoc> {
  return registerModel<ReporterNoticeDoc>(connection, 'ReporterNotice', schema);
}
