/**
 * Broadcast benchmark: N subscribers, one campaign, the real service in a
 * child process sending to a fake Telegram Bot API that enforces the rate
 * limit (scaled up so 100,000 recipients finish in minutes).
 *
 *   npm run bench:broadcast -- <recipients> <limit per second> [normal|crash|429]
 *
 * Reports achieved rate / configured limit, the service's peak RSS, and
 * duplicates and missing recipients (crash: kill -9 halfway and restart;
 * 429: 1% of sends refused with retry_after).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chatKey } from '../src/conversation/chat-key';
import { createPiiCipher } from '../src/shared/pii-cipher';
import { projectRoot } from '../src/shared/project-root';
import { openDatabase } from '../src/storage/database';
import { ensureFerretdbBinary } from '../src/storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb } from '../src/storage/embedded/ferretdb-process';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../test/support/fake-telegram-server';

const KEY = Buffer.alloc(32, 3);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const recipients = Number(process.argv[2] ?? 100_000);
  const limit = Number(process.argv[3] ?? 300);
  const mode = process.argv[4] ?? 'normal';
  const external = process.env.BENCH_MONGODB_URI;
  const embedded = external ? null : await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(), dataDir: mkdtempSync(path.join(os.tmpdir(), 'tinbao-bench-')) });
  const uri = `${external ?? embedded?.uri ?? ''}bench_broadcast_${Date.now()}`;
  const database = await openDatabase(uri);
  const telegram = new FakeTelegramServer();
  await telegram.start();
  telegram.countOnly = true;
  telegram.limits = { perSecond: limit, chatIntervalMs: 1000 };
  if (mode === '429') telegram.random429Rate = 0.01;

  const seedStart = Date.now();
  const cipher = createPiiCipher(KEY);
  const now = new Date();
  for (let i = 0; i < recipients; i += 1000) {
    const residents = [];
    const subscriptions = [];
    for (let j = i; j < Math.min(recipients, i + 1000); j += 1) {
      const address = { channel: 'telegram' as const, chatId: String(10_000_000 + j) };
      const key = chatKey(cipher, address);
      const addressEnc = cipher.encrypt(JSON.stringify(address));
      residents.push({ _id: key, channel: 'telegram', chatRefEnc: addressEnc, consentAt: now, consentVersion: 1, lang: 'vi', createdAt: now });
      subscriptions.push({ _id: key, addressEnc, wardId: 'q3-p4', topics: ['scams'], createdAt: now });
    }
    await database.models.residents.insertMany(residents, { lean: true });
    await database.models.subscriptions.insertMany(subscriptions, { lean: true });
  }
  await database.models.campaigns.create({
    _id: 'CD-BENCH',
    topic: 'scams',
    messages: [{ text: 'Cảnh báo: không chuyển tiền cho người lạ tự xưng công an.' }],
    audience: { wards: ['q3-p4'], residents: true, groups: false, ownGroupsOf: null },
    schedule: { kind: 'once', at: new Date(Date.now() + 1000) },
    quiet: null,
    status: 'active',
    authorId: '1',
    authorAddressEnc: cipher.encrypt('{}'),
    scheduledThrough: new Date(Date.now() - 60_000),
    createdAt: now,
  });
  console.log(`seeded ${recipients} subscribers in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  const mainJs = path.join(projectRoot(), '.bench-build', 'src', 'main.js');
  const env = {
    PATH: process.env.PATH ?? '',
    MONGODB_URI: uri,
    TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_POLLING: 'false',
    WEBCHAT_ENABLED: 'false',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tinbao-bench-data-')),
    DATA_ENCRYPTION_KEY: KEY.toString('base64'),
    OFFICER_INVITE_CODE: 'bench-invite-code',
    BROADCAST_RATE_PER_SECOND: String(limit),
    BROADCAST_SEND_LEASE_MS: '5000',
  };
  const start = (): ChildProcess => spawn(process.execPath, [mainJs], { env, stdio: 'ignore' });
  const sent = () => [...telegram.sentCount.values()].reduce((a, b) => a + b, 0);
  let peakRss = 0;
  const sampleRss = (child: ChildProcess) => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    peakRss = Math.max(peakRss, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  };

  let child = start();
  while (sent() === 0) await sleep(50);
  const firstSend = Date.now();
  if (mode === 'crash') {
    while (sent() < recipients / 2) await sleep(20);
    sampleRss(child);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`killed -9 at ${sent()} sent; restarting`);
    child = start();
  }
  // Done when every recipient got the message, or (after a crash, some calls in doubt are never sent)
  // when sending has stalled and every delivery has an outcome. The database is asked only then: on
  // FerretDB v1 a count reads the whole collection, and asking twice a second would slow the service.
  const pendingLeft = async () => recipients - (await database.models.broadcastOutcomes.countDocuments({ campaignId: 'CD-BENCH' }));
  let lastSent = -1;
  let stalledSince = Date.now();
  for (;;) {
    sampleRss(child);
    const now = sent();
    if (now >= recipients) break;
    if (now !== lastSent) [lastSent, stalledSince] = [now, Date.now()];
    else if (Date.now() - stalledSince > 3000 && (await pendingLeft()) === 0) break;
    await sleep(500);
  }
  const seconds = (Date.now() - firstSend) / 1000;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));

  const duplicates = [...telegram.sentCount.values()].filter((n) => n > 1).length;
  const missing = recipients - telegram.sentCount.size;
  const inDoubt = await database.models.broadcastOutcomes.countDocuments({ campaignId: 'CD-BENCH', status: 'in_doubt' });
  const rate = telegram.sentCount.size / seconds;
  console.log(
    JSON.stringify({
      mode,
      recipients,
      limitPerSecond: limit,
      seconds: Number(seconds.toFixed(1)),
      achievedPerSecond: Number(rate.toFixed(1)),
      achievedOverLimit: Number((rate / limit).toFixed(3)),
      peakRssMb: Number(peakRss.toFixed(1)),
      limitViolationsAtFake: telegram.limitViolations,
      duplicates,
      missing,
      inDoubt,
    }),
  );
  await telegram.stop();
  await database.close();
  await embedded?.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
