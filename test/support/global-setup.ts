import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretdbBinary } from '../../src/storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb, type EmbeddedFerretdb } from '../../src/storage/embedded/ferretdb-process';

declare global {
  var __TEST_FERRETDB__: EmbeddedFerretdb | undefined;
}

/**
 * One real database server for the whole run: TEST_MONGODB_URI when given
 * (a MongoDB 6+ for example), otherwise our embedded FerretDB on a free port
 * with a temporary directory. Each test file uses its own database in it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) {
    process.env.TEST_DATABASE_SERVER = process.env.TEST_MONGODB_URI;
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-ferretdb-'));
  const server = await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(), dataDir });
  globalThis.__TEST_FERRETDB__ = server;
  process.env.TEST_DATABASE_SERVER = server.uri;
  // Where the embedded server keeps its SQLite files: the privacy spec reads them raw.
  process.env.TEST_FERRETDB_DIR = dataDir;
}
