import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { DisputeDetails, EvidenceRecord, ReportDoc } from '../../core/report';

export type { ReportDoc };

/** A stored file as documents keep it (a tip's evidence, a campaign message's image). */
export const evidenceRecordSchema = new Schema<EvidenceRecord>(
  {
    id: String,
    kind: String,
    mime: String,
    size: Number,
    sha256: String,
    fileName: { type: String, default: null },
    platform: { type: new Schema({ channel: String, fileId: String }, { _id: false }), default: null },
    original: { type: new Schema({ id: String, sha256: String, size: Number, mime: String }, { _id: false }), default: null },
  },
  { _id: false },
);

const schema = new Schema<ReportDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    kind: { type: String, required: true, enum: ['tip', 'dispute'] },
    category: { type: String, required: true },
    group: { type: String, required: true },
    // What the resident wrote is encrypted field by field when `sealed` (report-sealing.ts).
    sealed: { type: Boolean },
    description: { type: String, required: true },
    location: {
      kind: { type: String, required: true, enum: ['ward', 'address', 'point', 'unknown'] },
      wardId: { type: String, default: null },
      address: { type: String, default: null },
      lat: { type: Number, default: null },
      lon: { type: Number, default: null },
      // A map pin, encrypted (report-sealing.ts): lat and lon are then null.
      pointEnc: { type: String, default: null },
    },
    occurred: {
      kind: { type: String, required: true, enum: ['now', 'today', 'other', 'unknown'] },
      text: { type: String, default: null },
    },
    evidence: [evidenceRecordSchema],
    suspects: {
      text: { type: String, default: null },
      identifiers: [{ _id: false, type: { type: String }, value: String }],
    },
    anonymous: { type: Boolean, required: true },
    reporter: {
      type: new Schema({ residentKey: String, contactEnc: { type: String, default: null } }, { _id: false }),
      default: null,
    },
    channel: { type: String, required: true },
    lang: { type: String, required: true },
    model: { type: new Schema({ id: String, name: String }, { _id: false }), default: null },
    subjects: { type: Number, default: null },
    unitIds: { type: [String], required: true },
    status: { type: String, required: true },
    statusHistory: [{ _id: false, status: String, at: Date }],
    forwards: [{ _id: false, fromUnitId: String, toUnitId: String, reason: String, by: String, at: Date }],
    relatedCodes: { type: [String], default: [] },
    relatedHolders: { type: [{ _id: false, code: String, unitIds: [String] }], default: [] },
    assessment: { type: String, default: null },
    assessedAt: { type: Date, default: null },
    assignee: { type: new Schema({ unitId: String, name: String }, { _id: false }), default: null },
    outcome: { type: String, default: null },
    duplicateOf: { type: String, default: null },
    closedAt: { type: Date, default: null },
    deadlines: {
      ackDueAt: { type: Date, required: true },
      outcomeDueAt: { type: Date, required: true },
      extensions: [{ _id: false, days: Number, reason: String, by: String, at: Date }],
      remindAt: { type: Date, default: null },
    },
    submissionKey: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    dispute: {
      type: new Schema<DisputeDetails>(
        {
          since: String,
          tried: { type: String, default: null },
          desiredOutcome: String,
          otherPartyAgrees: { type: String, enum: ['yes', 'no', 'unknown'] },
          partiesEnc: String,
          assignedAt: { type: Date, default: null },
          mediators: { type: [String], default: [] },
          conflicts: { type: [String], default: [] },
          session: { type: new Schema({ at: Date, place: String }, { _id: false }), default: null },
          result: { type: String, default: null },
          agreement: { type: String, default: null },
          referral: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'reports' },
);
// Each index names the ReportRepository query it serves (storage/report-repository.ts).
// byCode, idByCode, codeHeldBy, statusOf; and receipt codes are unique.
schema.index({ code: 1 }, { unique: true });
// submitted: one report per draft, so a submission is idempotent.
schema.index({ submissionKey: 1 }, { unique: true });
// streamReceived for one unit: the reports it holds, by date received (the first clause of its $or).
schema.index({ unitIds: 1, createdAt: -1 });
// streamReceived for one unit: the reports it forwarded away (the second clause of its $or).
schema.index({ 'forwards.fromUnitId': 1, createdAt: 1 });
// streamReceived for every unit (/thongke tatca).
schema.index({ createdAt: 1 });
// nearDeadlinesOf (/quahan): a unit's cases near their acceptance deadline (the first clause of its $or), soonest first…
schema.index({ unitIds: 1, status: 1, 'deadlines.ackDueAt': 1 });
// …and near their outcome deadline (the second clause).
schema.index({ unitIds: 1, status: 1, 'deadlines.outcomeDueAt': 1 });
// DeadlineService.remind: the cases whose next reminder is due, soonest first (on FerretDB v1 a scan, once per reminder run).
schema.index({ 'deadlines.remindAt': 1 });
// detachClosedBefore: the retention job.
schema.index({ closedAt: 1 });
// disputesOf and detachResident: every report of one resident (/xoadulieu).
schema.index({ 'reporter.residentKey': 1 });
// A model's tips (/mohinh): only tips that carry one are in it.
schema.index({ 'model.id': 1 }, { partialFilterExpression: { 'model.id': { $type: 'string' } } });
// holdingEvidence: one evidence file for a desk (web chat link).
schema.index({ 'evidence.id': 1 });
// disputesReceived: a team's disputes by date received (/sohoagiai).
schema.index({ kind: 1, unitIds: 1, createdAt: 1 });
// awaitingAcceptanceBy: a unit's cases not accepted yet, oldest first (a newly registered desk gets their cards).
schema.index({ unitIds: 1, status: 1, createdAt: 1 });

export function reportModel(connection: Connection): Model<ReportDoc> {
  return registerModel<ReportDoc>(connection, 'Report', schema);
}
