import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { evidenceRecordSchema } from './report.model';
import type { EvidenceRecord } from '../../core/report';

/** A resident's subscription to prevention campaigns: their ward and topics. `_id` is the resident's pseudonymous key. */
export interface SubscriptionDoc {
  _id: string;
  /** Encrypted ChatAddress, so a broadcast reaches a subscriber with one read (that also proves they are still subscribed). */
  addressEnc: string;
  wardId: string;
  topics: string[];
  createdAt: Date;
}

/** A group chat registered by one of its admins to receive a ward's campaigns. `_id` is the chat's pseudonym. */
export interface BroadcastGroupDoc {
  _id: string;
  /** Encrypted ChatAddress of the group. */
  addressEnc: string;
  wardId: string;
  /** Platform user id of the admin who registered it; they may run campaigns for their own groups. */
  registeredBy: string;
  registeredAt: Date;
}

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

/** One firing of a campaign: `_id` is "<campaign>:<fire time>", unique, so each fires once across instances. */
export interface CampaignRunDoc {
  _id: string;
  campaignId: string;
  fireAt: Date;
  /** Recipients are being written (resumable); all written and being sent; every recipient settled. */
  status: 'materializing' | 'sending' | 'done';
  recipients: number;
  /** Every delivery up to this id (in id order) has an outcome or a retry scheduled: a restart resumes after it. */
  doneThrough: string | null;
  createdAt: Date;
}

export type BroadcastStatus = 'sent' | 'failed' | 'blocked' | 'skipped' | 'in_doubt';

/**
 * One recipient of one run: `_id` is "<run>|<recipient>", unique, so nobody
 * is materialized twice. Never updated: what happened to it is an outcome.
 */
export interface BroadcastDeliveryDoc {
  _id: string;
  runId: string;
  campaignId: string;
  recipient: { kind: 'resident' | 'group'; key: string };
}

/**
 * What happened to a delivery, inserted once (`_id` is the delivery's id):
 * insert-only, so recording an outcome is one cheap write on FerretDB too.
 * "in_doubt": the process died during the platform call; never resent.
 */
export interface BroadcastOutcomeDoc {
  _id: string;
  runId: string;
  campaignId: string;
  status: BroadcastStatus;
  reason: string | null;
  at: Date;
}

/** A delivery to try again later (after a 429, a transient error, Zalo's night hours): `_id` "<delivery>#<attempt>". */
export interface BroadcastRetryDoc {
  _id: string;
  deliveryId: string;
  runId: string;
  campaignId: string;
  recipient: BroadcastDeliveryDoc['recipient'];
  attempt: number;
  partsSent: number;
  dueAt: Date;
}

/**
 * A service instance that is sending broadcasts, with when it last said so:
 * instances sending at once split the overall rate limit between them.
 * Each instance writes only its own document.
 */
export interface BroadcastSenderDoc {
  _id: string;
  lastSeenAt: Date;
}

/**
 * The scheduler's progress through a campaign's fire times: those up to
 * `through` have been turned into runs, counting from the campaign's
 * `scheduledThrough` equal to `from` (an edit moves that, and the mark no
 * longer applies). `_id` is the campaign id.
 */
export interface CampaignMarkDoc {
  _id: string;
  from: Date;
  through: Date;
}

/**
 * A Zalo promotion message sent to a follower on a Vietnam day: `_id` is
 * "<recipient>|<YYYY-MM-DD>", unique, so each follower gets at most one a
 * day across campaigns and instances.
 */
export interface BroadcastPromotionDayDoc {
  _id: string;
  deliveryId: string;
  at: Date;
}

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    addressEnc: { type: String, required: true },
    wardId: { type: String, required: true },
    topics: { type: [String], required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'subscriptions' },
);
// Serves materializing a run: subscribers of a ward and topic, streamed in key order.
subscriptionSchema.index({ wardId: 1, topics: 1, _id: 1 });

const groupSchema = new Schema<BroadcastGroupDoc>(
  {
    _id: { type: String, required: true },
    addressEnc: { type: String, required: true },
    wardId: { type: String, required: true },
    registeredBy: { type: String, required: true },
    registeredAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_groups' },
);
// Serves materializing a run's groups, and a group admin's own groups.
groupSchema.index({ wardId: 1 });
groupSchema.index({ registeredBy: 1 });

const campaignSchema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    messages: [{ _id: false, text: String, image: { type: evidenceRecordSchema, default: null } }],
    audience: { wards: [String], residents: Boolean, groups: Boolean, ownGroupsOf: { type: String, default: null } },
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
// Serves the scheduler (active campaigns) and /chiendich (an author's campaigns).
campaignSchema.index({ status: 1 });
campaignSchema.index({ authorId: 1, createdAt: -1 });
// Serves a unit's period statistics (/thongke): its campaigns.
campaignSchema.index({ unitId: 1 });

const runSchema = new Schema<CampaignRunDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    fireAt: { type: Date, required: true },
    status: { type: String, required: true },
    recipients: { type: Number, required: true },
    doneThrough: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'campaign_runs' },
);
// Serves resuming runs left mid-materialization, and a campaign's run list.
runSchema.index({ status: 1 });
runSchema.index({ campaignId: 1, fireAt: -1 });
// Serves period statistics: runs fired in a period.
runSchema.index({ fireAt: 1 });

const deliverySchema = new Schema<BroadcastDeliveryDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    campaignId: { type: String, required: true },
    recipient: { kind: { type: String, required: true }, key: { type: String, required: true } },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_deliveries' },
);
// Serves streaming a run's recipients in id order.
deliverySchema.index({ runId: 1, _id: 1 });

const outcomeSchema = new Schema<BroadcastOutcomeDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    campaignId: { type: String, required: true },
    status: { type: String, required: true },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_outcomes' },
);
// Serves per-run figures.
outcomeSchema.index({ campaignId: 1, runId: 1, status: 1 });
// Serves period statistics: the outcomes of the runs fired in a period.
outcomeSchema.index({ runId: 1, status: 1 });

const retrySchema = new Schema<BroadcastRetryDoc>(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true },
    runId: { type: String, required: true },
    campaignId: { type: String, required: true },
    recipient: { kind: String, key: String },
    attempt: { type: Number, required: true },
    partsSent: { type: Number, required: true },
    dueAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_retries' },
);
// Serves the retry round: retries that are due.
retrySchema.index({ dueAt: 1 });

const senderSchema = new Schema<BroadcastSenderDoc>(
  { _id: { type: String, required: true }, lastSeenAt: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'broadcast_senders' },
);

const markSchema = new Schema<CampaignMarkDoc>(
  { _id: { type: String, required: true }, from: { type: Date, required: true }, through: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'campaign_marks' },
);

const promotionDaySchema = new Schema<BroadcastPromotionDayDoc>(
  { _id: { type: String, required: true }, deliveryId: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'broadcast_promotion_days' },
);

export function campaignModels(connection: Connection) {
  return {
    subscriptions: registerModel<SubscriptionDoc>(connection, 'Subscription', subscriptionSchema) as Model<SubscriptionDoc>,
    broadcastGroups: registerModel<BroadcastGroupDoc>(connection, 'BroadcastGroup', groupSchema) as Model<BroadcastGroupDoc>,
    campaigns: registerModel<CampaignDoc>(connection, 'Campaign', campaignSchema) as Model<CampaignDoc>,
    campaignRuns: registerModel<CampaignRunDoc>(connection, 'CampaignRun', runSchema) as Model<CampaignRunDoc>,
    campaignMarks: registerModel<CampaignMarkDoc>(connection, 'CampaignMark', markSchema) as Model<CampaignMarkDoc>,
    broadcastDeliveries: registerModel<BroadcastDeliveryDoc>(connection, 'BroadcastDelivery', deliverySchema) as Model<BroadcastDeliveryDoc>,
    broadcastOutcomes: registerModel<BroadcastOutcomeDoc>(connection, 'BroadcastOutcome', outcomeSchema) as Model<BroadcastOutcomeDoc>,
    broadcastRetries: registerModel<BroadcastRetryDoc>(connection, 'BroadcastRetry', retrySchema) as Model<BroadcastRetryDoc>,
    broadcastSenders: registerModel<BroadcastSenderDoc>(connection, 'BroadcastSender', senderSchema) as Model<BroadcastSenderDoc>,
    broadcastPromotionDays: registerModel<BroadcastPromotionDayDoc>(connection, 'BroadcastPromotionDay', promotionDaySchema) as Model<BroadcastPromotionDayDoc>,
  };
}
