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
    description: { type: String, required: true },
    location: {
      kind: { type: String, required: true, enum: ['ward', 'address', 'point', 'unknown'] },
      wardId: { type: String, default: null },
      address: { type: String, default: null },
      lat: { type: Number, default: null },
      lon: { type: Number, default: null },
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
    unitIds: { type: [String], required: true },
    status: { type: String, required: true },
    statusHistory: [{ _id: false, status: String, at: Date }],
    forwards: [{ _id: false, fromUnitId: String, toUnitId: String, reason: String, by: String, at: Date }],
    relatedCodes: { type: [String], default: [] },
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
    },
    submissionKey: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    deliveredAt: { type: Date, default: null },
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
// Serves /tracuu <code> and guarantees receipt codes are unique.
schema.index({ code: 1 }, { unique: true });
// Makes a submission idempotent: one report per draft.
schema.index({ submissionKey: 1 }, { unique: true });
// Serves every officer query, scoped to the officer's unit.
schema.index({ unitIds: 1, createdAt: -1 });
// Serves the reminder job and /quahan: open tips by due date.
schema.index({ status: 1, 'deadlines.outcomeDueAt': 1 });
// Serves linking a new tip to earlier ones that share a suspect identifier.
schema.index({ 'suspects.identifiers.value': 1 });
// Serves the retention job: closed tips past the retention period.
schema.index({ closedAt: 1 });
// Serves /xoadulieu: every report of one resident.
schema.index({ 'reporter.residentKey': 1 });
// Serves fetching one evidence file for a desk (web chat link).
schema.index({ 'evidence.id': 1 });
// Serves the mediation register (/sohoagiai): a team's disputes by date received.
schema.index({ kind: 1, unitIds: 1, createdAt: 1 });
// Serves period statistics (/thongke) of every unit, and of a unit's tips it forwarded away.
schema.index({ createdAt: 1 });
schema.index({ 'forwards.fromUnitId': 1, createdAt: 1 });
// Serves a newly registered desk picking up tips no desk has yet.
schema.index({ deliveredAt: 1, createdAt: 1 });

export function reportModel(connection: Connection): Model<ReportDoc> {
  return registerModel<ReportDoc>(connection, 'Report', schema);
}
