import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretdbBinary } from '../../src/storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb } from '../../src/storage/embedded/ferretdb-process';
import { openDatabase } from '../../src/storage/database';
import { eventually } from '../support/test-env';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the embedded FerretDB (local default)', () => {
  const binary = ensureFerretdbBinary();

  it('keeps its data in the directory across restarts and stops promptly', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-fdb-'));
    const first = await startEmbeddedFerretdb({ binary, dataDir });
    const connection = await mongoose.createConnection(`${first.uri}persist`).asPromise();
    await connection.collection('notes').insertOne({ text: 'Phường 4' });
    await connection.close();
    const started = Date.now();
    await first.stop();
    expect(Date.now() - started).toBeLessThan(3000);

    const second = await startEmbeddedFerretdb({ binary, dataDir });
    const again = await mongoose.createConnection(`${second.uri}persist`).asPromise();
    expect(await again.collection('notes').findOne({}, { projection: { _id: 0 } })).toEqual({ text: 'Phường 4' });
    await again.close();
    await second.stop();
  });

  it('is started again on the same port when it dies, and the service’s connection finds its data there', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-fdb-'));
    const server = await startEmbeddedFerretdb({ binary, dataDir });
    const database = await openDatabase(`${server.uri}supervised`, undefined, { timeoutMs: 2000 });
    try {
      await database.models.migrations.create({ _id: 'before-the-crash', appliedAt: new Date() });
      const pid = server.pid() ?? 0;
      process.kill(pid, 'SIGKILL');
      await eventually('ferretdb died', () => !alive(pid), 5000);

      await eventually('ferretdb started again', () => server.restarts() === 1 && server.pid() !== pid, 10_000);
      await eventually('reachable again', () => database.reachable(1000), 10_000);
      expect(await database.models.migrations.exists({ _id: 'before-the-crash' })).toBeTruthy();
    } finally {
      await database.close();
      await server.stop();
    }
    // Stopped on purpose: not started again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(server.restarts()).toBe(1);
  });

  it('exits when the process that started it is killed with SIGKILL', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-fdb-'));
    // A parent that starts FerretDB exactly as our launcher does (stdin piped), then prints its pid.
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(${JSON.stringify(binary)}, ['-dir', ${JSON.stringify(dataDir)}], { stdio: ['pipe', 'pipe', 'ignore'] });
      child.stdout.on('data', (d) => { if (String(d).startsWith('READY')) console.log('PID ' + child.pid); });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.on('data', (chunk: Buffer) => {
      const match = /PID (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    }));
    expect(alive(pid)).toBe(true);

    parent.kill('SIGKILL');

    await eventually('ferretdb exited with its parent', () => !alive(pid), 5000);
  });

  it('carries only the unique indexes, which FerretDB enforces, not the others, which it never reads but would keep up to date on every write', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-fdb-'));
    const server = await startEmbeddedFerretdb({ binary, dataDir });
    // A database an earlier version set up with every declared index.
    const earlier = await mongoose.createConnection(`${server.uri}indexes`).asPromise();
    await earlier.collection('reports').createIndex({ createdAt: 1 });
    await earlier.close();
    const db = await openDatabase(`${server.uri}indexes`);
    const names = (await db.models.reports.collection.indexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'code_1', 'submissionKey_1']);
    await db.models.reports.collection.insertOne({ _id: 'a' as never, code: 'TB-AAAAAA', submissionKey: 'k1' });
    await expect(db.models.reports.collection.insertOne({ _id: 'b' as never, code: 'TB-AAAAAA', submissionKey: 'k2' })).rejects.toMatchObject({ code: 11000 });
    await db.close();
    await server.stop();
  });
});
