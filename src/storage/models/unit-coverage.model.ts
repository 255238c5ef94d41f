import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/** A unit's coverage as changed by an admin in the chat; overrides config/units.json for that unit. */
export interface UnitCoverageDoc {
  _id: string;
  wards: string[];
  categories: string[];
  updatedBy: string;
  updatedAt: Date;
}

const schema = new Schema<UnitCoverageDoc>(
  {
    _id: { type: String, required: true },
    wards: { type: [String], required: true },
    categories: { type: [String], required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'unit_coverage' },
);

export function unitCoverageModel(connection: Connection): Model<UnitCoverageDoc> {
  return registerModel<UnitCoverageDoc>(connection, 'UnitCoverage', schema);
}
