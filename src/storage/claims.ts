import type { Model, QueryFilter, UpdateQuery, mongo } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { nativeCollection } from './native-collection';

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

/** `insertOnce` without mongoose's casting and validation, for a document built whole on a hot path: one insert command. */
export async function insertLeanOnce<T extends mongo.Document>(model: Model<T>, doc: mongo.OptionalUnlessRequiredId<T>): Promise<boolean> {
  try {
    await nativeCollection(model).insertOne(doc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Inserts `docs` in order, in one command, stopping at the first whose
 * `_id` is taken (the rest are not inserted): that one's index, or -1 when
 * all were inserted.
 */
export async function insertInOrder<T extends mongo.Document>(model: Model<T>, docs: mongo.OptionalUnlessRequiredId<T>[]): Promise<number> {
  try {
    await nativeCollection(model).insertMany(docs, { ordered: true });
    return -1;
  } catch (error) {
    const taken = takenIndexes(error);
    if (!taken) throw error;
    return taken[0] ?? 0;
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

/** Replaces the document with this `_id`, or inserts it, tolerating a racing first insert as `upsertById` does. Lean: one command. */
export async function replaceById<T extends mongo.Document & { _id: string }>(model: Model<T>, id: string, doc: mongo.WithoutId<T>): Promise<void> {
  const collection = nativeCollection(model);
  const filter = { _id: id } as mongo.Filter<T>;
  try {
    await collection.replaceOne(filter, doc, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await collection.replaceOne(filter, doc);
  }
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
    const taken = takenIndexes(error);
    if (!taken) throw error;
    return taken.length === 0 ? docs.map((doc) => doc._id) : taken.map((i) => docs[i]?._id).filter((id): id is string => id !== undefined);
  }
}

/**
 * The positions, in the batch, of the documents a bulk insert refused
 * because their `_id` (or another unique key) was taken; [] when the error
 * names none (a single duplicate); null when it failed for another reason.
 */
function takenIndexes(error: unknown): number[] | null {
  type WriteError = { code?: number; index?: number };
  const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
  const list: WriteError[] = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return isDuplicateKeyError(error) ? [] : null;
  if (!list.every((e) => e.code === 11000)) return null;
  return list.map((e) => e.index ?? -1);
}
