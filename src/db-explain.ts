import path from 'node:path';
import { parseEnv } from './config/env';
import { openDatabase } from './storage/database';
import { ensureFerretdbBinary } from './storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb } from './storage/embedded/ferretdb-process';
import { explainHotQueries } from './storage/query-plans';

/**
 * `npm run db:explain`: prints how the database would run each hot query
 * (storage/query-plans.ts), on MONGODB_URI or, unset, the embedded FerretDB.
 * On MongoDB it exits 1 when a hot query reads no index (a COLLSCAN).
 */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const embedded = env.MONGODB_URI ? null : await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(env.FERRETDB_BIN), dataDir: path.resolve(env.DATA_DIR, 'ferretdb') });
  const database = await openDatabase(env.MONGODB_URI ?? `${embedded?.uri ?? ''}tinbao`);
  try {
    const plans = await explainHotQueries(database.models);
    for (const plan of plans) process.stdout.write(`${plan.indexed ? 'ok  ' : 'SCAN'}  ${plan.collection.padEnd(20)} ${plan.name}\n      ${plan.stages.join(' ← ')}\n`);
    const scans = plans.filter((plan) => !plan.indexed);
    if (embedded) {
      process.stdout.write(`\nFerretDB v1 (embedded): "ok" means the filter went to SQLite; it uses no secondary index, so these plans say nothing about MongoDB.\n`);
    } else {
      process.stdout.write(`\n${plans.length - scans.length} of ${plans.length} hot queries use an index.\n`);
      if (scans.length > 0) process.exitCode = 1;
    }
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
