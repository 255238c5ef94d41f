import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A unit's coverage as changed by an admin in the chat; overrides
 * config/units.json for that unit. One document per unit and field
 * (`_id` "<unit>#wards" or "<unit>#categories", see CoverageStore); the
 * first layout kept both fields in one document under the unit's id, and
 * such documents are still read.
 */
export interface UnitCoverageDoc {
  _id: string;
  unitId?: string;
  field?: 'wards' | 'categories';
  ids?: string[];
  /** The first layout. */
  wards?: string[];
  categories?: string[];
  updatedBy: string;
  updatedAt: Date;
}

const schema = new Schema<UnitCoverageDoc>(
  {
    _id: { type: String, required: true },
    unitId: { type: String },
    field: { type: String, enum: ['wards', 'categories'] },
    ids: { type: [String], default: undefined },
    wards: { type: [String], default: undefined },
    categories: { type: [String], default: undefined },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'unit_coverage' },
);

export function unitCoverageModel(connection: Connection): Model<UnitCoverageDoc> {
  return registerModel<UnitCoverageDoc>(connection, 'UnitCoverage', schema);
}
