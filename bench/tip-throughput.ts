/**
 * How many complete tips per second the engine files against the embedded
 * FerretDB (or BENCH_MONGODB_URI), and how long one resident message takes.
 *
 *   npm run bench:tips -- [residents=50] [concurrency=10]
 *
 * Each resident runs the whole tip flow (consent, 7 steps, review, send: 12
 * events) through ConversationEngine.handle, which loads and saves versioned
 * state, stores the report and queues desk delivery, exactly as a channel
 * would drive it. Chats are recorded in memory; no network is involved.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../src/config/catalog';
import { loadUnits } from '../src/config/units';
import { createI18n } from '../src/i18n';
import { buildServices } from '../src/services';
import { setLogLevel } from '../src/shared/logger';
import { createPiiCipher } from '../src/shared/pii-cipher';
import { projectRoot } from '../src/shared/project-root';
import { openDatabase } from '../src/storage/database';
import { ensureFerretdbBinary } from '../src/storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb } from '../src/storage/embedded/ferretdb-process';
import type { InboundEvent } from '../src/core/chat';

type Body = InboundEvent extends infer E ? (E extends InboundEvent ? Omit<E, 'key' | 'address' | 'isGroup' | 'senderId' | 'senderName'> : never) : never;

const SCRIPT: Body[] = [
  { kind: 'command', command: 'baotin', args: '' },
  { kind: 'button', payload: 'g:consent:yes' },
  { kind: 'button', payload: 's:category:fraud' },
  { kind: 'text', text: 'Kẻ gian gọi điện giả danh công an yêu cầu chuyển tiền vào tài khoản lạ.' },
  { kind: 'text', text: 'phuong 4' },
  { kind: 'button', payload: 's:occurred:today' },
  { kind: 'button', payload: 's:evidence:done' },
  { kind: 'text', text: 'SĐT 0987 654 321, STK 19035555888' },
  { kind: 'button', payload: 's:anonymity:named' },
  { kind: 'text', text: '0912 345 678' },
  { kind: 'button', payload: 's:review:send' },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const residents = Number(process.argv[2] ?? 50);
  const concurrency = Number(process.argv[3] ?? 10);
  setLogLevel('silent');
  const root = projectRoot();

  const external = process.env.BENCH_MONGODB_URI;
  const embedded = external ? null : await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(), dataDir: mkdtempSync(path.join(os.tmpdir(), 'tinbao-bench-')) });
  const database = await openDatabase(`${external ?? embedded?.uri ?? ''}bench_${Date.now()}`);
  const catalog = loadCatalog(path.join(root, 'config'));
  const i18n = createI18n(path.join(root, 'locales'));
  const { engine } = buildServices({
    models: database.models,
    catalog,
    units: loadUnits(path.join(root, 'config'), catalog),
    translate: (lang) => i18n.forLanguage(lang),
    cipher: createPiiCipher(Buffer.alloc(32, 5)),
    chats: { send: async (_a, messages) => messages.map(() => null), edit: async () => undefined, forgetChat: async () => undefined },
    officerInviteCode: 'bench',
    systemAdmins: [],
    limits: { maxTextLength: 2000, maxEvidenceFiles: 10, maxEvidenceBytes: 20 * 1024 * 1024 },
    idleTimeoutMs: 24 * 3_600_000,
    retentionMonths: 24,
    deliveryIntervalMs: 60_000,
    retryBaseMs: 5000,
    clock: () => new Date(),
  });

  const latencies: number[] = [];
  let next = 0;
  const runResident = async (n: number): Promise<void> => {
    for (const [i, body] of SCRIPT.entries()) {
      const event = { ...body, key: `bench:${n}:${i}`, address: { channel: 'webchat' as const, chatId: `resident-${n}` }, isGroup: false, senderId: null, senderName: null } as InboundEvent;
      const started = performance.now();
      await engine.handle(event);
      latencies.push(performance.now() - started);
    }
  };
  const worker = async (): Promise<void> => {
    while (next < residents) await runResident(next++);
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const filed = await database.models.reports.countDocuments({});
  latencies.sort((a, b) => a - b);

  const server = external ? 'BENCH_MONGODB_URI' : 'embedded FerretDB v1.24.2 (SQLite)';
  process.stdout.write(
    `${server}: ${filed}/${residents} tips filed in ${seconds.toFixed(1)} s with ${concurrency} residents at a time\n` +
      `  ${(filed / seconds).toFixed(1)} tips/s, ${((filed * SCRIPT.length) / seconds).toFixed(0)} messages/s\n` +
      `  per message: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms\n`,
  );
  await database.close();
  await embedded?.stop();
  if (filed !== residents) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
