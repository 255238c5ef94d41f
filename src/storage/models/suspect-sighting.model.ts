import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/** One tip that named an identifier. */
export interface Sighting {
  code: string;
  unitIds: string[];
  at: Date;
}

/**
 * The latest tips that named one suspect identifier (`_id` a keyed hash of
 * "<type>:<value>", e.g. of "phone:0987654321"), newest first, at most SIGHTINGS_KEPT: what links
 * a new tip to earlier ones, read by `_id` per identifier instead of
 * searching every stored report.
 */
export interface SuspectSightingDoc {
  _id: string;
  sightings: Sighting[];
}

export const SIGHTINGS_KEPT = 20;

const schema = new Schema<SuspectSightingDoc>(
  {
    _id: { type: String, required: true },
    sightings: [{ _id: false, code: String, unitIds: [String], at: Date }],
  },
  { versionKey: false, autoIndex: false, collection: 'suspect_sightings' },
);

export function suspectSightingModel(connection: Connection): Model<SuspectSightingDoc> {
  return registerModel<SuspectSightingDoc>(connection, 'SuspectSighting', schema);
}
