import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * The version of a small collection every instance keeps in memory (desks,
 * coverage): `_id` is the collection's name, `token` changes on every write
 * to it. Instances read this one document by `_id` to know whether their
 * copy is current (see storage/versioned-cache.ts).
 */
export interface CacheVersionDoc {
  _id: string;
  token: string;
  changedAt: Date;
}

const schema = new Schema<CacheVersionDoc>(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'cache_versions' },
);

export function cacheVersionModel(connection: Connection): Model<CacheVersionDoc> {
  return registerModel<CacheVersionDoc>(connection, 'CacheVersion', schema);
}
