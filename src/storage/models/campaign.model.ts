import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { evidenceRecordSchema } from './report.model';
import type { EvidenceRecord } from '../../core/report';

export type CampaignStatus = 'active' | 'paused' | 'cancelled' | 'finished';
export type CampaignSchedule = { kind: 'once'; at: Date } | { kind: 'cron'; expression: string; until: Date };

export interface CampaignMessage {
  text: string;
  image?: EvidenceRecord | null;
}

/** A prevention campaign: its messages, audience, schedule and quiet hours. */
export interface CampaignDoc {
  _id: string;
  topic: string;
  /** Each message's text, and the picture it is the caption of, if any (kept in the evidence store). */
  messages: CampaignMessage[];
  audience: {
    /** Ward ids, or ["*"]: whose subscribers and registered groups it reaches. */
    wards: string[];
    /** Residents subscribed to the topic in those wards. */
    residents: boolean;
    /** Registered groups of those wards; for a group admin's campaign, only their own groups. */
    groups: boolean;
    /** Set for a group admin's campaign: only groups they registered. */
    ownGroupsOf: string | null;
    /** Set: only the groups of self-management models of these kinds (in those wards). */
    modelKinds?: string[] | null;
  };
  schedule: CampaignSchedule;
  /** Minutes after midnight (Vietnam time); no sends from start to end. Null: none. */
  quiet: { startMin: number; endMin: number } | null;
  status: CampaignStatus;
  /** The author: their platform user id (who may change the campaign) and encrypted chat address. */
  authorId: string;
  authorAddressEnc: string;
  /** The unit whose admin created it (its period statistics count the campaign); null for system and group admins. */
  unitId: string | null;
  /**
   * Where firing starts: set when the campaign is created, edited or
   * resumed, by its admins only (the scheduler's progress is in
   * campaign_marks, so its write each minute never meets an admin's change
   * to this document).
   */
  scheduledThrough: Date;
  createdAt: Date;
}

const schema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    messages: [{ _id: false, text: String, image: { type: evidenceRecordSchema, default: null } }],
    audience: { wards: [String], residents: Boolean, groups: Boolean, ownGroupsOf: { type: String, default: null }, modelKinds: { type: [String], default: undefined } },
    schedule: { type: Schema.Types.Mixed, required: true },
    quiet: { type: new Schema({ startMin: Number, endMin: Number }, { _id: false }), default: null },
    status: { type: String, required: true },
    authorId: { type: String, required: true },
    authorAddressEnc: { type: String, required: true },
    unitId: { type: String, default: null },
    scheduledThrough: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'campaigns' },
);
// Serves the scheduler: the active campaigns.
schema.index({ status: 1 });
// Serves a unit's period statistics (/thongke): its campaigns.
schema.index({ unitId: 1 });

export function campaignModel(connection: Connection): Model<CampaignDoc> {
  return registerModel<CampaignDoc>(connection, 'Campaign', schema);
}
