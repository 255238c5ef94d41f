import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { Assessment, DisputeDetails, EvidenceRecord, HistoryStatus, LocationKind, OccurredKind, Outcome, ReportKind, ReportStatus } from '../../core/report';

export interface ReportDoc {
  _id: string;
  code: string;
  kind: ReportKind;
  /** A tip category, or for a dispute its kind (config/disputes.json). */
  category: string;
  group: string;
  description: string;
  location: { kind: LocationKind; wardId: string | null; address: string | null; lat: number | null; lon: number | null };
  occurred: { kind: OccurredKind; text: string | null };
  evidence: EvidenceRecord[];
  suspects: { text: string | null; identifiers: { type: string; value: string }[] };
  anonymous: boolean;
  /** Link back to the reporter for follow-up; null once they used /xoadulieu. Never sent to a desk. */
  reporter: { residentKey: string; contactEnc: string | null } | null;
  channel: string;
  lang: string;
  /** Units the tip was routed to; every officer query is scoped by these. */
  unitIds: string[];
  status: ReportStatus;
  statusHistory: { status: HistoryStatus; at: Date }[];
  /** Each move to another unit, with its reason; its count is the routing round that one-time actions are claimed in. */
  forwards: { fromUnitId: string; toUnitId: string; reason: string; by: string; at: Date }[];
  /** Earlier tips of the same units that share a suspect identifier (phone, account, link, plate). */
  relatedCodes: string[];
  /** Valuable or not (có giá trị): the figure every period report counts. */
  assessment: Assessment | null;
  /** When the assessment was made, so a period's figures can be computed as they stood at its end. */
  assessedAt: Date | null;
  /** The officer who accepted the tip, and their unit. */
  assignee: { unitId: string; name: string } | null;
  outcome: Outcome | null;
  /** When the tip was closed; the retention job detaches the reporter PRIVACY_RETENTION_MONTHS after it. */
  closedAt: Date | null;
  /** Code of the earlier tip this one repeats, when closed as a duplicate. */
  duplicateOf: string | null;
  /** When the tip must be accepted, and when it must have an outcome (extendable, with a reason). */
  deadlines: { ackDueAt: Date; outcomeDueAt: Date; extensions: { days: number; reason: string; by: string; at: Date }[] };
  /** Unique per draft, so a double-tapped "send" can never file the same tip twice. */
  submissionKey: string;
  /** Counts officers' changes; each change claims "<id>:v<version>" first, so changes never interleave. */
  version: number;
  /** Set once at least one desk has the tip. */
  deliveredAt: Date | null;
  /** Null for tips. */
  dispute: DisputeDetails | null;
  createdAt: Date;
}

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
