import { randomUUID } from 'node:crypto';
import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { fileTelegramTip } from '../support/file-tip';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';
import { WireCounter } from '../support/wire-counter';

/** Updates in one tip flow as fileTelegramTip sends them (/baotin, consent, 7 steps, anonymity, send). */
const UPDATES_PER_TIP = 10;

/**
 * What the scheduled jobs read, whenever their time comes (reporter notice
 * retries and Zalo event recovery every 30 s, campaigns every minute): not
 * the messages' work, left out of the count.
 */
const JOB_REQUESTS = new Set([
  'find reporter_notices {status,nextAttemptAt}',
  'find zalo_events {status,$or}',
  'find campaigns {status}',
  'find campaign_marks {_id}',
  'find campaign_runs {status}',
]);

/** What the tip flow may read by something other than `_id`: collections whose size does not grow with history. */
const SMALL_COLLECTIONS = new Set(['desks', 'unit_coverage']);

/**
 * The cost of a message, counted on the wire between the service and the
 * database: what a tip costs must not grow with stored history, and every
 * read on the way is by `_id` (the only filter FerretDB v1 does not answer
 * by reading the whole collection).
 */
describe('database requests per message', () => {
  let telegram: FakeTelegramServer;
  let counter: WireCounter;
  let app: RunningApp;
  let residents = 7100;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    const server = new URL(String(process.env.TEST_DATABASE_SERVER));
    counter = new WireCounter({ host: server.hostname, port: Number(server.port) });
    const proxied = await counter.start();
    // Background rounds far apart, so what is counted is the messages' own work.
    const env = testEnv('requests', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, DESK_DELIVERY_INTERVAL_MS: '600000', BROADCAST_IDLE_POLL_MS: '600000' });
    app = await startApp({ ...env, MONGODB_URI: `${proxied}${new URL(String(env.MONGODB_URI)).pathname.slice(1)}` });
    const desk = new TelegramUser(telegram, 7001, 'Trực ban', -7001);
    desk.text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    await eventually('desk registered', () => telegram.textsTo(-7001).length > 0);
  });

  afterAll(async () => {
    await app.stop();
    await counter.stop();
    await telegram.stop();
  });

  /** Files one tip as a new resident and returns the requests it made, once its card reached the desk and nothing else moves. */
  async function requestsOfOneTip(): Promise<string[]> {
    await quiet();
    counter.reset();
    residents += 1;
    const code = await fileTelegramTip(telegram, new TelegramUser(telegram, residents), { category: 'Lừa đảo (cả qua mạng)', description: 'Kẻ gian gọi điện giả danh công an, SĐT 0987 654 321.', ward: 'Phường 4' });
    await eventually('card at the desk', () => telegram.textsTo(-7001).some((t) => t.includes(code)));
    await quiet();
    return counter.lines().filter((line) => !JOB_REQUESTS.has(line));
  }

  /** Waits until the service has made no request for a while (the delivery round and its writes are over). */
  async function quiet(): Promise<void> {
    await app.deliveries.idle();
    let seen = -1;
    await eventually('no more requests', async () => {
      const now = counter.requests.length;
      const settled = now === seen;
      seen = now;
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 250));
      return settled;
    });
  }

  it('costs at most 3 requests per message over a tip flow, desk card included, and reads only by _id', async () => {
    await requestsOfOneTip(); // warms what every instance keeps in memory (desks, coverage)
    const lines = await requestsOfOneTip();
    expect(lines.length / UPDATES_PER_TIP).toBeLessThanOrEqual(3);
    const reads = lines.filter((line) => /^(find|aggregate|count) /.test(line));
    const scans = reads.filter((line) => !line.endsWith(' {_id}') && !SMALL_COLLECTIONS.has(line.split(' ')[1]));
    expect(scans).toEqual([]);
  });

  it('costs the same with thousands of stored reports and past chats', async () => {
    const before = await requestsOfOneTip();
    const { reports, conversationStates, inbox } = app.database.models;
    const old = new Date('2025-01-01T00:00:00Z');
    const ids = Array.from({ length: 3000 }, (_, i) => i);
    await reports.collection.insertMany(ids.map((i) => ({ _id: randomUUID() as never, code: `TB-Z${String(i).padStart(5, '0')}`, kind: 'tip', category: 'fraud', status: 'closed', unitIds: ['cap-p4'], submissionKey: randomUUID(), suspects: { text: null, identifiers: [] }, createdAt: old })));
    await conversationStates.collection.insertMany(ids.map((i) => ({ _id: `history-${i}` as never, version: 9, flowVersion: 0, flow: null, lang: 'vi', createdAt: old })));
    await inbox.collection.insertMany(ids.map((i) => ({ _id: `telegram:history-${i}` as never, receivedAt: old })));
    const after = await requestsOfOneTip();
    expect(after.length).toBeLessThanOrEqual(before.length);
  });

  it('has every write of a tip flow acknowledged by a majority of the replica set and its journal before the answer', async () => {
    await requestsOfOneTip();
    const writes = counter.requests.filter((r) => ['insert', 'update', 'delete', 'findAndModify'].includes(r.command));
    expect(writes.length).toBeGreaterThan(10);
    expect(writes.filter((w) => !(w.writeConcern?.w === 'majority' && w.writeConcern.j === true)).map((w) => `${w.command} ${w.collection}`)).toEqual([]);
  });
});
