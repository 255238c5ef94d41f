/**
 * What one tip costs as history grows: the service in Telegram webhook mode,
 * against a fake Bot API and the embedded FerretDB, with a wire counter
 * between the service and the database.
 *
 *   npm run bench:latency -- [history=0,20000,100000] [residents=20] [tips=3]
 *
 * For each history size it seeds that many stored reports and past chats,
 * registers two desks (Công an Phường 4 and the district drug team), then:
 * 1. one resident files `tips` tips: p50/p95/p99 per step;
 * 2. `residents` residents file `tips` tips each at once: updates/s, p50/p95/p99,
 *    database requests per update, bot and database CPU per update;
 * each for our service and for a conventional telegraf bot doing the same
 * tip flow on the same server (bench/conventional-bot.ts, its past chats
 * seeded too); then
 * 3. nobody chats for 10 s: the database's CPU with our service running.
 * Both bots, the fake Bot API and the load generator share this process, so
 * "bot CPU" includes the last two for both alike.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { startApp, type RunningApp } from '../src/app';
import { parseEnv } from '../src/config/env';
import { ensureFerretdbBinary } from '../src/storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb } from '../src/storage/embedded/ferretdb-process';
import { openDatabase } from '../src/storage/database';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../test/support/fake-telegram-server';
import { WireCounter } from '../test/support/wire-counter';
import { CONVENTIONAL_PAYLOADS, startConventionalBot } from './conventional-bot';

const SECRET = 'bench-secret';
const KEY = Buffer.alloc(32, 7).toString('base64');

/** One tip, as Telegram delivers it: a command, texts and button presses (callback data). */
const TIP: { step: string; update: (chat: number) => Record<string, unknown> }[] = [
  { step: 'start (/baotin)', update: (chat) => message(chat, '/baotin') },
  { step: 'category', update: (chat) => press(chat, 's:category:fraud') },
  { step: 'description', update: (chat) => message(chat, 'Kẻ gian gọi điện giả danh công an yêu cầu chuyển tiền vào tài khoản lạ.') },
  { step: 'place', update: (chat) => message(chat, 'phuong 4') },
  { step: 'time', update: (chat) => press(chat, 's:occurred:today') },
  { step: 'evidence', update: (chat) => press(chat, 's:evidence:done') },
  { step: 'suspects', update: (chat) => message(chat, 'SĐT 0987 654 321, STK 19035555888') },
  { step: 'anonymity', update: (chat) => press(chat, 's:anonymity:anonymous') },
  { step: 'send', update: (chat) => press(chat, 's:review:send') },
];

/** The same tip for the conventional bot (its own callback data; it asks no consent). */
const CONVENTIONAL_TIP: typeof TIP = [
  { step: 'start (/baotin)', update: (chat) => message(chat, '/baotin') },
  { step: 'category', update: (chat) => press(chat, CONVENTIONAL_PAYLOADS.category) },
  { step: 'description', update: (chat) => message(chat, 'Kẻ gian gọi điện giả danh công an yêu cầu chuyển tiền vào tài khoản lạ.') },
  { step: 'place', update: (chat) => message(chat, 'phuong 4') },
  { step: 'time', update: (chat) => press(chat, CONVENTIONAL_PAYLOADS.occurred) },
  { step: 'evidence', update: (chat) => press(chat, CONVENTIONAL_PAYLOADS.evidenceDone) },
  { step: 'suspects', update: (chat) => message(chat, 'SĐT 0987 654 321, STK 19035555888') },
  { step: 'anonymity', update: (chat) => press(chat, CONVENTIONAL_PAYLOADS.anonymous) },
  { step: 'send', update: (chat) => press(chat, CONVENTIONAL_PAYLOADS.send) },
];

let updateId = 1;
function message(chat: number, text: string): Record<string, unknown> {
  const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] : undefined;
  return { update_id: updateId++, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: chat < 0 ? 'supergroup' : 'private', title: 'Trực ban' }, from: { id: Math.abs(chat), is_bot: false, first_name: 'Lan' }, text, entities } };
}
function press(chat: number, data: string): Record<string, unknown> {
  return { update_id: updateId++, callback_query: { id: `cb${updateId}`, from: { id: chat, is_bot: false, first_name: 'Lan' }, chat_instance: 'ci', data, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, text: '…' } } };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const fmt = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 95).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)}`;
};

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function pidRunningWith(fragment: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(fragment)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no process running with ${fragment}`);
}

/** Stored history: `count` closed tips and `count` past chats (their state and event keys), written directly. */
async function seedHistory(uri: string, count: number): Promise<void> {
  if (count === 0) return;
  const db = await openDatabase(uri);
  const { reports, conversationStates, inbox } = db.models;
  const long = new Date(Date.now() - 200 * 24 * 3_600_000);
  for (let start = 0; start < count; start += 2000) {
    const size = Math.min(2000, count - start);
    const ids = Array.from({ length: size }, (_, i) => start + i);
    await reports.collection.insertMany(
      ids.map((i) => ({
        _id: randomUUID() as never,
        code: `TB-H${String(i).padStart(6, '0')}`,
        kind: 'tip',
        category: 'theft_robbery',
        group: 'criminal',
        description: 'Lịch sử: trộm xe máy trong hẻm, đã xử lý xong.',
        location: { kind: 'ward', wardId: 'q3-p4', address: 'hẻm 12', lat: null, lon: null },
        occurred: { kind: 'today', text: null },
        evidence: [],
        suspects: { text: null, identifiers: [] },
        anonymous: true,
        reporter: null,
        channel: 'telegram',
        lang: 'vi',
        unitIds: ['cap-p4'],
        status: 'closed',
        statusHistory: [{ status: 'received', at: long }, { status: 'closed', at: long }],
        forwards: [],
        relatedCodes: [],
        relatedHolders: [],
        assessment: 'not_valuable',
        assessedAt: long,
        assignee: null,
        outcome: 'no_basis',
        closedAt: long,
        duplicateOf: null,
        deadlines: { ackDueAt: long, outcomeDueAt: long, extensions: [] },
        submissionKey: randomUUID(),
        version: 3,
        dispute: null,
        createdAt: long,
      })),
    );
    await conversationStates.collection.insertMany(
      ids.map((i) => ({ _id: `past-chat-${i}` as never, version: 12, flowVersion: 0, flow: null, step: null, draftEnc: null, lang: 'vi', pendingFlow: null, eventKey: `telegram:past-${i}`, expiredFlow: null, repliesEnc: null, createdAt: long })),
    );
    await inbox.collection.insertMany(ids.map((i) => ({ _id: `telegram:past-${i}` as never, receivedAt: new Date(), chat: `past-chat-${i}`, version: 12 })));
  }
  await db.close();
}

async function runLevel(history: number, residents: number, tips: number): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-bench-db-'));
  const ferret = await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(), dataDir });
  const ferretPid = pidRunningWith(dataDir);
  const dbName = `bench_${history}`;
  const seedStarted = performance.now();
  await seedHistory(`${ferret.uri}${dbName}`, history);
  const seededIn = (performance.now() - seedStarted) / 1000;

  const upstream = new URL(ferret.uri);
  const counter = new WireCounter({ host: upstream.hostname, port: Number(upstream.port) });
  const proxied = await counter.start();
  const telegram = new FakeTelegramServer();
  const apiRoot = await telegram.start();
  const app: RunningApp = await startApp(
    parseEnv({
      MONGODB_URI: `${proxied}${dbName}`,
      PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tinbao-bench-data-')),
      DATA_ENCRYPTION_KEY: KEY,
      OFFICER_INVITE_CODE: 'bench-invite',
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/webhooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    }),
  );
  const postTo = (url: string, headers: Record<string, string>) => async (update: Record<string, unknown>): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    await response.arrayBuffer();
    return performance.now() - started;
  };
  const post = postTo(`${app.url}/webhooks/telegram`, { 'x-telegram-bot-api-secret-token': SECRET });

  // Two desks the tips reach (a fraud tip in Phường 4 goes to the ward police; the district duty desk is the fallback).
  for (const [n, unit] of ['cap-p4', 'q3-duty'].entries()) {
    const code = app.unitInviteCodes.find((u) => u.unitId === unit)?.code ?? app.officerInviteCode;
    await post(message(-(1000 + n), `/trucban ${code}`));
  }
  await app.deliveries.idle();

  // The conventional bot reads its session by `key` (a scan on FerretDB v1): with history it takes minutes per run, so it runs on an empty history only.
  const conventional = history === 0 ? await startConventionalBot({ mongoUri: proxied, database: dbName, apiRoot, token: FAKE_BOT_TOKEN }) : null;
  const targets: Target[] = [
    { name: 'ours', post, tip: TIP, consent: (chat) => press(chat, 'g:consent:yes'), settle: () => app.deliveries.idle() },
    ...(conventional ? [{ name: 'conventional', post: postTo(conventional.url, {}), tip: CONVENTIONAL_TIP, consent: null, settle: async () => undefined }] : []),
  ];
  const results: Measured[] = [];
  let chats = 7_000_000;
  for (const target of targets) {
    results.push(await measure(target, { residents, tips, counter, ferretPid, firstChat: (chats += 100_000) }));
  }
  const filed = await app.database.models.reports.countDocuments({ status: 'received' }); // the seeded history is closed
  const rss = process.memoryUsage().rss / 1024 / 1024;

  const [ours] = results;
  const theirs = results[1] ?? { perStep: new Map<string, number[]>(), latencies: [], updatesPerSecond: 0, requestsPerUpdate: 0, botCpuMs: 0, dbCpuMs: 0, histogram: [] };
  const ratio = (a: number, b: number): string => (b === 0 ? '–' : (a / b).toFixed(2));
  const out = [
    `history: ${history} reports and ${history} past chats (seeded in ${seededIn.toFixed(0)} s); tips filed by ours ${filed}/${tips * (residents + 1)}`,
    `  1 resident, ${tips} tips, ms p50 / p95 / p99 per step (conventional | ours):`,
    ...TIP.map(({ step }) => `    ${step.padEnd(18)} ${fmt(theirs.perStep.get(step) ?? []).padEnd(24)} | ${fmt(ours.perStep.get(step) ?? [])}`),
    `  ${residents} residents × ${tips} tips:          conventional | ours | ours/conventional`,
    `    updates/s                 ${theirs.updatesPerSecond.toFixed(1).padStart(12)} | ${ours.updatesPerSecond.toFixed(1)} | ${ratio(ours.updatesPerSecond, theirs.updatesPerSecond)}`,
    `    p50 / p95 / p99 ms        ${fmt(theirs.latencies).padStart(12)} | ${fmt(ours.latencies)}`,
    `    database requests/update  ${theirs.requestsPerUpdate.toFixed(2).padStart(12)} | ${ours.requestsPerUpdate.toFixed(2)} | ${ratio(ours.requestsPerUpdate, theirs.requestsPerUpdate)}`,
    `    bot CPU ms/update         ${theirs.botCpuMs.toFixed(2).padStart(12)} | ${ours.botCpuMs.toFixed(2)} | ${ratio(ours.botCpuMs, theirs.botCpuMs)}`,
    `    database CPU ms/update    ${theirs.dbCpuMs.toFixed(2).padStart(12)} | ${ours.dbCpuMs.toFixed(2)} | ${ratio(ours.dbCpuMs, theirs.dbCpuMs)}`,
  ];
  if (process.env.BENCH_DETAIL) {
    out.push('  our requests during the concurrent run:', ...ours.histogram.map(([line, n]) => `    ${String(n).padStart(6)}  ${line}`));
  }

  // Nobody chats: what our service's background work costs the database.
  counter.reset();
  const idleStart = cpuSecondsOf(ferretPid);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const idleCpu = ((cpuSecondsOf(ferretPid) - idleStart) / 10) * 100;
  if (process.env.BENCH_DETAIL) out.push('  requests while nobody chats:', ...counter.lines().map((line) => `    ${line}`));
  out.push(`  idle database CPU with our service running: ${idleCpu.toFixed(1)} %; process RSS (both bots and the load generator) ${rss.toFixed(0)} MB`);
  process.stdout.write(`${out.join('\n')}\n`);

  await conventional?.stop();
  await app.stop();
  await counter.stop();
  await telegram.stop();
  await ferret.stop();
}

interface Target {
  name: string;
  post(update: Record<string, unknown>): Promise<number>;
  tip: typeof TIP;
  /** The consent press after the first /baotin, for a bot that asks it. */
  consent: ((chat: number) => Record<string, unknown>) | null;
  /** Waits for the bot's own work after the messages (our desk cards). */
  settle(): Promise<void>;
}

interface Measured {
  perStep: Map<string, number[]>;
  latencies: number[];
  updatesPerSecond: number;
  requestsPerUpdate: number;
  botCpuMs: number;
  dbCpuMs: number;
  histogram: [string, number][];
}

async function measure(target: Target, run: { residents: number; tips: number; counter: WireCounter; ferretPid: number; firstChat: number }): Promise<Measured> {
  const fileTips = async (chat: number, perStep: Map<string, number[]> | null, all: number[]): Promise<void> => {
    for (let tip = 0; tip < run.tips; tip += 1) {
      for (const [i, { step, update }] of target.tip.entries()) {
        const ms = await target.post(update(chat));
        all.push(ms);
        perStep?.get(step)?.push(ms);
        if (i === 0 && tip === 0 && target.consent) all.push(await target.post(target.consent(chat)));
      }
    }
  };
  // 1. One resident.
  const perStep = new Map(target.tip.map(({ step }) => [step, [] as number[]]));
  await fileTips(run.firstChat, perStep, []);
  await target.settle();

  // 2. Many residents at once.
  run.counter.reset();
  const botCpu = process.cpuUsage();
  const dbCpu = cpuSecondsOf(run.ferretPid);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: run.residents }, (_, i) => fileTips(run.firstChat + 1 + i, null, latencies)));
  const seconds = (performance.now() - started) / 1000;
  await target.settle();
  const cpu = process.cpuUsage(botCpu);
  const dbCpuMs = (cpuSecondsOf(run.ferretPid) - dbCpu) * 1000;
  const updates = latencies.length;
  const histogram = new Map<string, number>();
  for (const line of run.counter.lines()) histogram.set(line, (histogram.get(line) ?? 0) + 1);
  return {
    perStep,
    latencies,
    updatesPerSecond: updates / seconds,
    requestsPerUpdate: run.counter.requests.length / updates,
    botCpuMs: (cpu.user + cpu.system) / 1000 / updates,
    dbCpuMs: dbCpuMs / updates,
    histogram: [...histogram].sort((a, b) => b[1] - a[1]),
  };
}

async function main(): Promise<void> {
  const levels = (process.argv[2] ?? '0,20000,100000').split(',').map(Number);
  const residents = Number(process.argv[3] ?? 20);
  const tips = Number(process.argv[4] ?? 3);
  for (const level of levels) await runLevel(level, residents, tips);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
