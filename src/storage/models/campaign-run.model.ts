import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { CampaignDoc } from './campaign.model';
import type { BroadcastStatus } from './broadcast-outcome.model';

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
  /** The campaign's messages when the run fired: every recipient of a run gets the same text, whatever an edit does meanwhile (absent on runs from before). */
  messages?: CampaignDoc['messages'];
  /** A run's figures, kept on it once its per-recipient ledger is removed (retention.ts). */
  settled?: Record<BroadcastStatus, number>;
  /** When the retention sweep removed its deliveries, outcomes and retries. */
  ledgerRemovedAt?: Date;
}

const schema = new Schema<CampaignRunDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    fireAt: { type: Date, required: true },
    status: { type: String, required: true },
    recipients: { type: Number, required: true },
    doneThrough: { type: String, default: null },
    createdAt: { type: Date, required: true },
    messages: { type: [Schema.Types.Mixed], default: undefined },
    settled: { type: Schema.Types.Mixed, default: undefined },
    ledgerRemovedAt: { type: Date },
  },
  { versionKey: false, autoIndex: false, collection: 'campaign_runs' },
);
// Serves resuming runs left mid-materialization, and a campaign's run list.
schema.index({ status: 1 });
schema.index({ campaignId: 1, fireAt: -1 });
// Serves period statistics: runs fired in a period.
schema.index({ fireAt: 1 });

export function campaignRunModel(connection: Connection): Model<CampaignRunDoc> {
  return registerModel<CampaignRunDoc>(connection, 'CampaignRun', schema);
}
