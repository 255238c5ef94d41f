import { parseEnv } from './config/env';
import { openDatabase } from './storage/database';
import { SCHEMA_VERSION } from './storage/schema';

/**
 * `npm run db:migrate`: brings the database at MONGODB_URI to the schema
 * version this code declares (collections and indexes, storage/schema.ts).
 * Run it before starting instances of a new version in production; the local
 * mode does it at every start.
 */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  if (!env.MONGODB_URI) throw new Error('MONGODB_URI is not set: db:migrate is for a MongoDB deployment (the local mode migrates at start).');
  const database = await openDatabase(env.MONGODB_URI, undefined, { timeoutMs: env.DATABASE_TIMEOUT_MS, schema: 'migrate' });
  await database.close();
  process.stdout.write(`schema at version ${SCHEMA_VERSION}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
