import type { ChildProcess } from 'node:child_process';
import { deskPayload } from '../../src/core/payloads';
import { openDatabase, type Database } from '../../src/storage/database';
import { FakeTelegramServer } from '../support/fake-telegram-server';
import { seedCampaign, seedTelegramSubscribers } from '../support/seed-audience';
import { buildServiceForChildProcess, exited, spawnService } from '../support/service-process';
import { eventually, testDatabaseUri } from '../support/test-env';
import { freePort, registerP4Desk, webhookServiceEnv } from './support/chaos-service';
import { WebhookDelivery, textUpdate, tipSteps, walk } from './support/webhook-residents';

const STORM_MS = Number(process.env.CHAOS_STORM_S ?? 40) * 1000;
const DESK = -1_999_000;
const SUBSCRIBERS = 40;

/**
 * The Telegram Bot API fails every send and edit for a while (502s, 504s and
 * 429s with retry_after) while officers accept tips, residents file new
 * ones and a campaign fires. Afterwards every desk card, reporter notice and
 * campaign message arrives, each once.
 */
describe('a Telegram outage with 5xx and 429 storms', () => {
  let telegram: FakeTelegramServer;
  let database: Database;
  let service: ChildProcess;
  let delivery: WebhookDelivery;
  const figures: string[] = [];

  beforeAll(async () => {
    const mainJs = buildServiceForChildProcess();
    telegram = new FakeTelegramServer();
    await telegram.start();
    const uri = testDatabaseUri('chaos_storm');
    database = await openDatabase(uri);
    const port = await freePort();
    delivery = new WebhookDelivery(`http://127.0.0.1:${port}`);
    service = spawnService(mainJs, webhookServiceEnv(uri, port, telegram, { BROADCAST_RATE_PER_SECOND: '50', BROADCAST_CHAT_INTERVAL_MS: '0', BROADCAST_IDLE_POLL_MS: '500' }));
    await eventually('service up', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 60_000);
    await registerP4Desk(database, telegram, delivery, DESK);
  }, 120_000);

  afterAll(async () => {
    telegram.calm();
    service.kill('SIGKILL');
    await exited(service);
    await database.close();
    await telegram.stop();
    process.stdout.write(`\n${figures.join('\n')}\n`);
  });

  const delivered = (chat: number, words: string): number =>
    telegram.calls.filter((c) => !c.failed && (c.method === 'sendMessage' || c.method === 'sendPhoto') && Number(c.params.chat_id) === chat && String(c.params.text ?? c.params.caption).includes(words)).length;
  const cardOf = (code: string): number => telegram.calls.filter((c) => !c.failed && c.method === 'sendMessage' && Number(c.params.chat_id) === DESK && String(c.params.text).includes(code) && String(c.params.text).includes('TIN BÁO')).length;

  it(`delivers every card, notice and campaign message once after ${STORM_MS / 1000} s of failures`, async () => {
    const steps = tipSteps('Đường dây lô đề hoạt động công khai ở quán nước đầu hẻm.');
    const walkAll = (chats: number[]) => Promise.all(chats.map((chat) => walk(telegram, delivery, chat, steps, { patienceMs: STORM_MS + 180_000, maxRepeats: 0 })));
    const before = Array.from({ length: 6 }, (_, i) => 5_100_000 + i);
    const during = Array.from({ length: 4 }, (_, i) => 5_200_000 + i);
    const subscribers = await seedTelegramSubscribers(database.models, 5_300_000, SUBSCRIBERS, 'q3-p4', ['scams']);

    const filed = (await walkAll(before)).map((j) => j.receipts[0] ?? '');
    await eventually('cards at the desk', () => filed.every((code) => cardOf(code) === 1), 30_000);

    telegram.startStorm();
    const stormStarted = Date.now();
    // Officers accept every tip: the cards cannot be edited, the reporters not told, for now.
    const reports = await database.models.reports.find({ code: { $in: filed } }, { code: 1 }).lean();
    for (const report of reports) await delivery.deliver({ callback_query: { id: `cb-${report._id}`, from: { id: 8_800_001, is_bot: false, first_name: 'Phong' }, chat_instance: 'ci', data: deskPayload(report._id, 'accept'), message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: DESK, type: 'supergroup', title: 'Trực ban' }, text: '…' } } });
    // New residents write in, and a campaign fires.
    const duringWalks = walkAll(during);
    await seedCampaign(database.models, 'CD-STORM', { schedule: { kind: 'once', at: new Date(Date.now() - 1000) } });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, STORM_MS - (Date.now() - stormStarted))));
    const failedDuringStorm = telegram.calls.filter((c) => c.failed).length;
    telegram.calm();

    const lateFiled = (await duringWalks).map((j) => j.receipts);
    await eventually('every reporter told', () => before.every((chat) => delivered(chat, 'tiếp nhận và đang xác minh') > 0), 240_000);
    await eventually('every late tip at the desk', () => lateFiled.every((codes) => codes.length === 1 && cardOf(codes[0] ?? '') >= 1), 240_000);
    await eventually('every subscriber reached', () => subscribers.every((chat) => delivered(chat, 'Cảnh báo CD-STORM') > 0), 240_000);
    await eventually('every campaign delivery settled', async () => (await database.models.broadcastOutcomes.countDocuments({ campaignId: 'CD-STORM' })) === SUBSCRIBERS, 60_000);
    // Quiet: the desk answers a later command, so anything still on its way would have come before it.
    const sent = telegram.calls.length;
    await delivery.deliver(textUpdate(DESK, '/donvi'));
    await eventually('a later answer at the desk', () => telegram.calls.slice(sent).some((c) => !c.failed && c.method === 'sendMessage' && Number(c.params.chat_id) === DESK), 30_000);

    const twiceToReporters = before.filter((chat) => delivered(chat, 'tiếp nhận và đang xác minh') > 1);
    const cardsTwice = [...filed, ...lateFiled.flat()].filter((code) => cardOf(code) > 1);
    const campaignTwice = subscribers.filter((chat) => delivered(chat, 'Cảnh báo CD-STORM') > 1);
    figures.push(
      `[chaos] Telegram failing every send for ${STORM_MS / 1000} s (${failedDuringStorm} failed calls): ${before.length} notices, ${before.length + during.length} desk cards, ${SUBSCRIBERS} campaign messages; ` +
        `sent twice: notices ${twiceToReporters.length}, cards ${cardsTwice.length}, campaign ${campaignTwice.length}; late residents with one receipt ${lateFiled.filter((c) => c.length === 1).length}/${during.length}`,
    );
    expect(failedDuringStorm).toBeGreaterThan(0);
    expect(twiceToReporters).toEqual([]);
    expect(cardsTwice).toEqual([]);
    expect(campaignTwice).toEqual([]);
  }, 900_000);
});
