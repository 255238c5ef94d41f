import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * Append-only record of every officer action: who, when, what, and the
 * report's state before and after. Nothing in the service updates or deletes
 * these documents.
 */
export interface AuditEntryDoc {
  _id: string;
  /** The tip acted on; null for administrative actions (a unit's coverage changed). */
  reportId: string | null;
  unitId: string;
  actor: { channel: string; userId: string; name: string | null };
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  at: Date;
}

const schema = new Schema<AuditEntryDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, default: null },
    unitId: { type: String, required: true },
    actor: { type: new Schema({ channel: String, userId: String, name: { type: String, default: null } }, { _id: false }), required: true },
    action: { type: String, required: true },
    before: { type: Schema.Types.Mixed, required: true },
    after: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'audit_log', minimize: false },
);
// No query of the service reads the audit log: this serves reading one report's audit trail in order by hand (an inspection), without a scan.
schema.index({ reportId: 1, at: 1 });

export function auditLogModel(connection: Connection): Model<AuditEntryDoc> {
  return registerModel<AuditEntryDoc>(connection, 'AuditEntry', schema);
}
