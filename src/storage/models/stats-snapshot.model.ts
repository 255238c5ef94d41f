import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A period's figures, kept once the period has ended: `_id` is
 * "<unit id or *>|<from>|<to>" (ISO instants). Figures are taken as they
 * stood at the period's end, so an ended period's never change; keeping them
 * makes every later request give exactly the same numbers, and answer with
 * one look-up instead of reading every report again. Inserted once, never
 * updated.
 */
export interface StatsSnapshotDoc {
  _id: string;
  /** ReportFigures and CampaignFigures, as computed (dates stay dates). */
  reports: object;
  campaigns: object;
  /** ModelRow[]; absent in snapshots kept before models were counted. */
  models?: object[];
  computedAt: Date;
}

const schema = new Schema<StatsSnapshotDoc>(
  {
    _id: { type: String, required: true },
    reports: { type: Schema.Types.Mixed, required: true },
    campaigns: { type: Schema.Types.Mixed, required: true },
    models: { type: [Schema.Types.Mixed], default: undefined },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'stats_snapshots', minimize: false },
);

export function statsSnapshotModel(connection: Connection): Model<StatsSnapshotDoc> {
  return registerModel<StatsSnapshotDoc>(connection, 'StatsSnapshot', schema);
}
