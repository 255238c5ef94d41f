import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { ModelActivity } from '../../core/community-model';

export type { ModelActivity } from '../../core/community-model';

export interface ModelActivityDoc {
  _id: string;
  modelId: string;
  unitId: string;
  activity: ModelActivity;
  /** When it happened (the day the leader recorded it). */
  at: Date;
  /** The leader's chat pseudonym. */
  by: string;
}

const schema = new Schema<ModelActivityDoc>(
  {
    _id: { type: String, required: true },
    modelId: { type: String, required: true },
    unitId: { type: String, required: true },
    activity: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'model_activities', minimize: false },
);
// A unit's activities in a period (the review), and a model's latest (dormancy).
schema.index({ unitId: 1, at: 1 });
schema.index({ modelId: 1, at: -1 });

export function modelActivityModel(connection: Connection): Model<ModelActivityDoc> {
  return registerModel<ModelActivityDoc>(connection, 'ModelActivity', schema);
}
