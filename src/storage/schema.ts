import type { Collection, Connection, Model } from 'mongoose';
import { AppError } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import type { MigrationDoc } from './models/migration.model';

/** What the schema is made of: every model (for its collection and declared indexes), and the two it reads the version from. */
export interface SchemaModels {
  all: IndexedModel[];
  migrations: Model<MigrationDoc>;
  reports: { collection: Collection };
}

interface IndexedModel {
  schema: { indexes(): [Record<string, unknown>, Record<string, unknown>?][] };
  collection: Collection;
  createCollection(): Promise<unknown>;
  syncIndexes(): Promise<unknown>;
}

const log = moduleLogger('schema');

/**
 * The version of the collections and indexes this code declares. Raise it
 * with every change to a model's indexes (or a new collection): instances of
 * the new code then refuse a database that `npm run db:migrate` has not
 * brought to it, and instances of the old code refuse one it has passed.
 *
 * 2: job_runs, files and file_chunks; partial pending indexes; TTL indexes
 *    for the plain expiries; the unit deadline, runId and topics indexes (#17).
 * 3: community_models, model_members and model_activities; reports carry
 *    their model (#19).
 */
export const SCHEMA_VERSION = 3;

/** The migrations collection's document that records the schema version. */
const SCHEMA_DOC = 'schema';

/**
 * Brings the database to SCHEMA_VERSION: creates missing collections, then
 * the declared indexes; on MongoDB `syncIndexes` also drops indexes no model
 * declares any more and rebuilds those whose options changed (a partial or
 * TTL index replacing a plain one). On FerretDB, only the unique indexes
 * (onlyUniqueIndexes). Refuses a database a newer version has migrated.
 * `npm run db:migrate` runs this; so does every start in local mode.
 */
export async function migrateSchema(connection: Connection, models: SchemaModels): Promise<void> {
  const current = await schemaVersion(models);
  if (current > SCHEMA_VERSION) throw newerSchema(current);
  const existing = new Set((await connection.listCollections()).map((c) => c.name));
  const ferretdb = await isFerretdb(connection);
  for (const model of models.all) {
    if (!existing.has(model.collection.collectionName)) await model.createCollection();
    if (ferretdb) await onlyUniqueIndexes(model);
    else await model.syncIndexes();
  }
  await models.migrations.updateOne({ _id: SCHEMA_DOC }, { $set: { version: SCHEMA_VERSION, appliedAt: new Date() } }, { upsert: true });
  if (current !== SCHEMA_VERSION) log.info({ from: current, to: SCHEMA_VERSION }, 'schema migrated');
}

/** Start-up in production: the database must be at SCHEMA_VERSION, or the service does not start. */
export async function requireSchema(models: SchemaModels): Promise<void> {
  const current = await schemaVersion(models);
  if (current > SCHEMA_VERSION) throw newerSchema(current);
  if (current < SCHEMA_VERSION) {
    throw new AppError('schema_outdated', `The database schema is at version ${current}; this version of the service needs ${SCHEMA_VERSION}. Run \`npm run db:migrate\` (with the same MONGODB_URI) first.`);
  }
}

/** The version recorded by the last migration; 0 for a database never migrated, 1 for one indexed by the versions before SCHEMA_VERSION existed. */
export async function schemaVersion(models: Pick<SchemaModels, 'migrations' | 'reports'>): Promise<number> {
  const doc = await models.migrations.findOne({ _id: SCHEMA_DOC }).lean();
  if (doc?.version !== undefined) return doc.version;
  return (await models.reports.collection.indexExists('code_1').catch(() => false)) ? 1 : 0;
}

function newerSchema(current: number): AppError {
  return new AppError('schema_unknown', `The database schema is at version ${current}, newer than this version of the service knows (${SCHEMA_VERSION}): run a version of the service that knows it.`);
}

/** Whether the server is FerretDB (its buildInfo says so), rather than MongoDB. */
async function isFerretdb(connection: Connection): Promise<boolean> {
  const info = await connection.db?.admin().command({ buildInfo: 1 });
  return typeof info?.ferretdbVersion === 'string';
}

/**
 * FerretDB v1 answers every query but `{_id: …}` by reading the whole
 * collection: it never uses a secondary index to find documents, yet its
 * SQLite backend keeps each one up to date on every write. So on FerretDB
 * only the unique indexes (what idempotency and receipt codes rely on) are
 * created, and a non-unique one left by an earlier version is dropped: each
 * insert and update then writes one B-tree or two instead of up to fourteen.
 * MongoDB gets every index the models declare.
 */
async function onlyUniqueIndexes(model: IndexedModel): Promise<void> {
  const declared = model.schema.indexes();
  for (const [fields, options] of declared) {
    if (options?.unique) await model.collection.createIndex(fields as Record<string, 1 | -1>, { ...options, background: undefined } as Record<string, unknown>);
  }
  const present = await model.collection.indexes();
  for (const index of present) {
    if (index.name && index.name !== '_id_' && !index.unique) await model.collection.dropIndex(index.name);
  }
}

