import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

export type BroadcastStatus = 'sent' | 'failed' | 'blocked' | 'skipped' | 'in_doubt';

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

const schema = new Schema<BroadcastOutcomeDoc>(
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
// CampaignService.figures (/chiendich: the last runs shown, by runId), StatsService.campaignFigures (the runs of a period, before `asOf`)
// and the retention sweep (a settled run's outcomes, by runId).
schema.index({ runId: 1, status: 1, at: 1 });

export function broadcastOutcomeModel(connection: Connection): Model<BroadcastOutcomeDoc> {
  return registerModel<BroadcastOutcomeDoc>(connection, 'BroadcastOutcome', schema);
}
