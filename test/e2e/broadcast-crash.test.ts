import { openDatabase, type Database } from '../../src/storage/database';
import { FakeTelegramServer } from '../support/fake-telegram-server';
import { seedCampaign, seedTelegramSubscribers } from '../support/seed-audience';
import { broadcastServiceEnv, buildServiceForChildProcess, exited, spawnService } from '../support/service-process';
import { eventually, testDatabaseUri } from '../support/test-env';

const RECIPIENTS = 400;
const CONCURRENCY = 8;

describe('a broadcast survives kill -9 of the service mid-run', () => {
  let telegram: FakeTelegramServer;
  let database: Database;
  let mainJs: string;
  // One database for this spec and both service processes.
  const uri = testDatabaseUri('broadcast_crash');

  beforeAll(async () => {
    mainJs = buildServiceForChildProcess();
    telegram = new FakeTelegramServer();
    await telegram.start();
    database = await openDatabase(uri);
  }, 120_000);

  afterAll(async () => {
    await database.close();
    await telegram.stop();
  });

  it('resumes after the process is killed: nobody gets the message twice, and only sends in doubt can be missing', async () => {
    const chats = await seedTelegramSubscribers(database.models, 900_000, RECIPIENTS, 'q3-p4', ['scams']);
    await seedCampaign(database.models, 'CD-CRASH', { schedule: { kind: 'once', at: new Date(Date.now() - 1000) } });
    const env = broadcastServiceEnv(uri, telegram.apiRoot, CONCURRENCY);
    const sentTo = () => telegram.callsOf('sendMessage').filter((c) => String(c.params.text).includes('Cảnh báo CD-CRASH')).map((c) => String(c.params.chat_id));

    const first = spawnService(mainJs, env);
    try {
      await eventually('first process halfway', () => sentTo().length >= RECIPIENTS / 3, 30_000);
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    const atKill = sentTo().length;
    expect(atKill).toBeLessThan(RECIPIENTS);

    const second = spawnService(mainJs, env);
    try {
      await eventually('every delivery settled', async () => (await database.models.broadcastOutcomes.countDocuments({ campaignId: 'CD-CRASH' })) === RECIPIENTS, 60_000);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }

    const counts = new Map<string, number>();
    for (const chat of sentTo()) counts.set(chat, (counts.get(chat) ?? 0) + 1);
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    expect(duplicates).toBe(0);

    expect(await database.models.broadcastDeliveries.countDocuments({ campaignId: 'CD-CRASH' })).toBe(RECIPIENTS);
    const outcomes = await database.models.broadcastOutcomes.find({ campaignId: 'CD-CRASH' }).lean();
    const inDoubt = outcomes.filter((d) => d.status === 'in_doubt').length;
    expect(outcomes.filter((d) => d.status === 'sent').length + inDoubt).toBe(RECIPIENTS);
    // At most the sends that were on the wire when the process died.
    expect(inDoubt).toBeLessThanOrEqual(CONCURRENCY);
    const missing = chats.filter((chat) => !counts.has(String(chat)));
    expect(missing.length).toBeLessThanOrEqual(inDoubt);
    expect(await database.models.campaignRuns.countDocuments({ campaignId: 'CD-CRASH' })).toBe(1);
  }, 120_000);
});
