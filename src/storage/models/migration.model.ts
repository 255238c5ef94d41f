import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * One-off data migrations already applied to this database (`_id`: the
 * migration's name), so start-up checks each by `_id`; and `_id: "schema"`,
 * the version of the collections and indexes (storage/schema.ts).
 */
export interface MigrationDoc {
  _id: string;
  appliedAt: Date;
  version?: number;
}

const schema = new Schema<MigrationDoc>(
  {
    _id: { type: String, required: true },
    appliedAt: { type: Date, required: true },
    version: { type: Number },
  },
  { versionKey: false, autoIndex: false, collection: 'migrations' },
);

export function migrationModel(connection: Connection): Model<MigrationDoc> {
  return registerModel<MigrationDoc>(connection, 'Migration', schema);
}
