import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';

/**
 * Doing a thing once across instances and restarts. Everything here rests on
 * one guarantee that MongoDB and FerretDB v1 share: an insert of an `_id` that
 * exists fails with a duplicate-key error, atomically.
 */

/** Inserts `doc` unless a document with its `_id` exists. True when this call made it. */
export async function insertOnce<T>(model: Model<T>, doc: NoInfer<T>): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * An insert-once claim with a lease: inserts `doc`, or, when a claim with its
 * `_id` exists and matches `lease.expired` (its holder stopped before
 * finishing and the lease ran out), takes it over with `lease.takeOver`. True
 * when this call holds the claim now.
 *
 * The takeover is one conditional update, so on MongoDB exactly one of two
 * racing takers wins. FerretDB v1 runs an update as a read, then a write of
 * the whole document, so there two takers racing within milliseconds may both
 * win: what a claim guards must tolerate a rare second attempt (every caller's
 * work is itself idempotent or keyed).
 */
export async function claimWithLease<T extends { _id: string }>(model: Model<T>, doc: NoInfer<T>, lease: { expired: QueryFilter<T>; takeOver: UpdateQuery<T> }): Promise<boolean> {
  if (await insertOnce(model, doc)) return true;
  const taken = await model.updateOne({ ...lease.expired, _id: doc._id } as QueryFilter<T>, lease.takeOver);
  return taken.modifiedCount === 1;
}

/** Inserts `doc`, or sets `changes` on the document already there with its `_id`. */
export async function insertOrUpdate<T extends { _id: string }>(model: Model<T>, doc: NoInfer<T>, changes: UpdateQuery<T>): Promise<'inserted' | 'updated'> {
  if (await insertOnce(model, doc)) return 'inserted';
  await model.updateOne({ _id: doc._id } as QueryFilter<T>, changes);
  return 'updated';
}

/**
 * An upsert by `_id` that tolerates a racing one: two upserts of one new id
 * may both try to insert (MongoDB and FerretDB v1 alike); the loser's
 * duplicate-key error means the document is there now, and it updates it.
 */
export async function upsertById<T extends { _id: string }>(model: Model<T>, id: string, update: UpdateQuery<T>): Promise<void> {
  try {
    await model.updateOne({ _id: id } as QueryFilter<T>, update, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await model.updateOne({ _id: id } as QueryFilter<T>, update);
  }
}

/**
 * Inserts each of `docs` that is not there yet (unordered: one already there
 * does not stop the others), in one command. Lean: no per-document casting or
 * validation, for batches of a 100,000-recipient broadcast. Returns the
 * `_id`s that were there already.
 */
export async function insertManyOnce<T extends { _id: string }>(model: Model<T>, docs: NoInfer<T>[]): Promise<string[]> {
  if (docs.length === 0) return [];
  try {
    await model.insertMany(docs, { ordered: false, lean: true });
    return [];
  } catch (error) {
    type WriteError = { code?: number; index?: number };
    const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
    const list: WriteError[] = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 ? !isDuplicateKeyError(error) : !list.every((e) => e.code === 11000)) throw error;
    if (list.length === 0) return docs.map((doc) => doc._id);
    return list.map((e) => docs[e.index ?? -1]?._id).filter((id): id is string => id !== undefined);
  }
}
