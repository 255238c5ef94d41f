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
 * 3. nobody chats for 10 s: the database's CPU;
 * and prints the service's RSS.
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
  const post = async (update: Record<string, unknown>): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    return performance.now() - started;
  };

  // Two desks the tips reach (a fraud tip in Phường 4 goes to the ward police and the district team).
  for (const [n, unit] of ['cap-p4', 'q3-duty'].entries()) {
    const code = app.unitInviteCodes.find((u) => u.unitId === unit)?.code ?? app.officerInviteCode;
    await post(message(-(1000 + n), `/trucban ${code}`));
  }
  const fileTips = async (chat: number, perStep: Map<string, number[]> | null, all: number[]): Promise<void> => {
    for (let tip = 0; tip < tips; tip += 1) {
      for (const [i, { step, update }] of TIP.entries()) {
        const ms = await post(update(chat));
        all.push(ms);
        perStep?.get(step)?.push(ms);
        if (i === 0 && tip === 0) all.push(await post(press(chat, 'g:consent:yes')));
      }
    }
  };
  await app.deliveries.idle();

  // 1. One resident.
  const perStep = new Map(TIP.map(({ step }) => [step, [] as number[]]));
  const single: number[] = [];
  await fileTips(7_000_000, perStep, single);

  // 2. Many residents at once.
  counter.reset();
  const botCpu = process.cpuUsage();
  const dbCpu = cpuSecondsOf(ferretPid);
  const many: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: residents }, (_, i) => fileTips(8_000_000 + i, null, many)));
  const seconds = (performance.now() - started) / 1000;
  await app.deliveries.idle();
  const cpu = process.cpuUsage(botCpu);
  const dbCpuMs = (cpuSecondsOf(ferretPid) - dbCpu) * 1000;
  const requests = counter.requests.length;

  // 3. Nobody chats.
  const idleStart = cpuSecondsOf(ferretPid);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const idleCpu = ((cpuSecondsOf(ferretPid) - idleStart) / 10) * 100;

  const filed = await app.database.models.reports.countDocuments({ status: 'received' }); // the seeded history is closed
  const rss = process.memoryUsage().rss / 1024 / 1024;
  const updates = many.length;
  const out = [
    `history ${history} reports and ${history} past chats (seeded in ${seededIn.toFixed(0)} s)`,
    `  1 resident, ${tips} tips, ms p50 / p95 / p99 per step:`,
    ...[...perStep].map(([step, values]) => `    ${step.padEnd(18)} ${fmt(values)}`),
    `  ${residents} residents × ${tips} tips: ${updates} updates in ${seconds.toFixed(1)} s = ${(updates / seconds).toFixed(1)} updates/s; ms p50 / p95 / p99 ${fmt(many)}`,
    `    database requests per update ${(requests / updates).toFixed(2)}; bot CPU ${(((cpu.user + cpu.system) / 1000) / updates).toFixed(2)} ms/update; database CPU ${(dbCpuMs / updates).toFixed(2)} ms/update`,
    `  idle database CPU ${idleCpu.toFixed(1)} %; service RSS ${rss.toFixed(0)} MB; tips filed ${filed}/${tips * (residents + 1)}`,
  ];
  if (process.env.BENCH_DETAIL) {
    const histogram = new Map<string, number>();
    for (const line of counter.lines()) histogram.set(line, (histogram.get(line) ?? 0) + 1);
    out.push('  requests during the concurrent run:', ...[...histogram].sort((a, b) => b[1] - a[1]).map(([line, n]) => `    ${String(n).padStart(6)}  ${line}`));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  await app.stop();
  await counter.stop();
  await telegram.stop();
  await ferret.stop();
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
