import type { ChildProcess } from 'node:child_process';
import { deskPayload } from '../../src/core/payloads';
import { openDatabase, type Database } from '../../src/storage/database';
import { freePort, registerP4Desk, webhookServiceEnv } from '../chaos/support/chaos-service';
import { WEBHOOK_SECRET, WebhookDelivery, pressUpdate, textUpdate } from '../chaos/support/webhook-residents';
import { FakeTelegramServer } from '../support/fake-telegram-server';
import { FakeZaloServer } from '../support/fake-zalo-server';
import { PHOTO_WITH_EXIF, seedCampaign, seedTelegramSubscribers } from '../support/seed-audience';
import { buildServiceForChildProcess, exited, spawnService } from '../support/service-process';
import { eventually, testDatabaseUri } from '../support/test-env';
import { ZaloUser } from '../support/zalo-user';

const DESK = -88_000;
const RESIDENT = 88_001;
const SUBSCRIBERS = 6;

/** A Telegram update posted to one instance's webhook, as the load balancer would pass it on. */
async function post(url: string, update: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify({ update_id: Math.floor(Math.random() * 2 ** 31), ...update }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** An officer's press of a card button in the desk group. */
function deskPress(data: string): Record<string, unknown> {
  return {
    callback_query: {
      id: `desk-${data}`,
      from: { id: 777_000_001, is_bot: false, first_name: 'Tuấn' },
      chat_instance: 'desk',
      data,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: DESK, type: 'supergroup', title: 'Trực ban' }, text: '…' },
    },
  };
}

function photoUpdate(chat: number, fileId: string, size: number): Record<string, unknown> {
  return {
    message: {
      message_id: Math.floor(Math.random() * 2 ** 31),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private', first_name: 'Dân' },
      from: { id: chat, is_bot: false, first_name: 'Dân' },
      photo: [{ file_id: fileId, file_unique_id: fileId, width: 800, height: 600, file_size: size }],
    },
  };
}

/**
 * Three service processes on one database behind one webhook address, as a
 * city police department runs them: a campaign run, a tip with a photo, the
 * desk's triage and a Zalo message, each message handled by whichever
 * instance the balancer picks, and one instance killed with kill -9 midway,
 * right after it received the photo. Nothing is lost, nothing happens twice,
 * and every scheduled job's fire time ran on one instance.
 */
describe('three instances on one database', () => {
  let mainJs: string;
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let database: Database;
  const services: ChildProcess[] = [];
  const urls: string[] = [];
  let subscribers: number[] = [];

  beforeAll(async () => {
    mainJs = buildServiceForChildProcess();
    telegram = new FakeTelegramServer();
    await telegram.start();
    zalo = new FakeZaloServer();
    await zalo.start();
    const uri = testDatabaseUri('multi_instance');
    database = await openDatabase(uri);
    // A campaign due now: every instance turns due campaigns into runs as it starts, all three at once.
    subscribers = await seedTelegramSubscribers(database.models, 88_100, SUBSCRIBERS, 'q3-p4', ['scams']);
    await seedCampaign(database.models, 'CD-MULTI1', { schedule: { kind: 'once', at: new Date(Date.now() - 1000) } });
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      urls.push(`http://127.0.0.1:${port}`);
      services.push(spawnService(mainJs, webhookServiceEnv(uri, port, telegram, { ...zalo.serviceEnv(), CHAT_MESSAGES_PER_MINUTE: '1000', BROADCAST_IDLE_POLL_MS: '300' })));
    }
    for (const url of urls) await eventually(`${url} up`, async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok === true, 60_000);
    await registerP4Desk(database, telegram, new WebhookDelivery(urls[0] ?? ''), DESK);
  }, 180_000);

  afterAll(async () => {
    for (const service of services) {
      if (service.exitCode === null && service.signalCode === null) {
        service.kill('SIGTERM');
        await exited(service);
      }
    }
    await database.close();
    await zalo.stop();
    await telegram.stop();
  });

  it('runs a campaign once for everyone, files a tip whose photo another instance sends after the first died, triages it and answers Zalo, each once', async () => {
    const [a = '', b = '', c = ''] = urls;

    // The campaign: one run, each subscriber reached once, though three instances started at once.
    const warning = 'Cảnh báo CD-MULTI1';
    await eventually('every subscriber warned', () => subscribers.every((s) => telegram.textsTo(s).some((t) => t.includes(warning))), 60_000);
    await eventually('the run done', async () => (await database.models.campaignRuns.findOne({ campaignId: 'CD-MULTI1' }).lean())?.status === 'done', 60_000);
    expect(await database.models.campaignRuns.countDocuments({ campaignId: 'CD-MULTI1' })).toBe(1);

    // The tip: each step to another instance; the photo to b, which is killed as soon as it has said it kept the photo.
    const answered = async (url: string, update: Record<string, unknown>, answer: string): Promise<void> => {
      const before = telegram.textsTo(RESIDENT).length;
      expect(await post(url, update)).toBe(200);
      await eventually(`“${answer}”`, () => telegram.textsTo(RESIDENT).slice(before).some((t) => t.includes(answer)), 30_000);
    };
    await answered(a, textUpdate(RESIDENT, '/baotin'), 'dữ liệu cá nhân');
    await answered(b, pressUpdate(RESIDENT, 'g:consent:yes'), 'Bước 1/7');
    await answered(c, pressUpdate(RESIDENT, 's:category:drugs'), 'Bước 2/7');
    await answered(a, textUpdate(RESIDENT, 'Có người bán ma túy ở đầu hẻm mỗi tối, khoảng 20 giờ.'), 'Bước 3/7');
    await answered(b, textUpdate(RESIDENT, 'hẻm 12 Trần Văn Đặng, phường 4'), 'Bước 4/7');
    await answered(c, pressUpdate(RESIDENT, 's:occurred:today'), 'Bước 5/7');
    telegram.addFile('multi-photo', PHOTO_WITH_EXIF);
    await answered(b, photoUpdate(RESIDENT, 'multi-photo', PHOTO_WITH_EXIF.length), 'Đã nhận tệp 1');
    services[1]?.kill('SIGKILL');
    if (services[1]) await exited(services[1]);
    await answered(a, pressUpdate(RESIDENT, 's:evidence:done'), 'Bước 6/7');
    await answered(c, pressUpdate(RESIDENT, 's:suspects:skip'), 'Bước 7/7');
    await answered(a, pressUpdate(RESIDENT, 's:anonymity:anonymous'), 'Kiểm tra lại');
    await answered(c, pressUpdate(RESIDENT, 's:review:send'), 'Mã biên nhận');
    const code = /TB-[2-9A-HJ-NP-Z]{6}/.exec(telegram.textsTo(RESIDENT).find((t) => t.includes('Mã biên nhận')) ?? '')?.[0] ?? '';
    const report = await database.models.reports.findOne({ code }).lean();
    expect(report?.evidence).toHaveLength(1);

    // The card reaches the desk with the photo, which only the database holds now that b is gone (its platform copy was stripped of metadata).
    await eventually('card at the desk', () => telegram.textsTo(DESK).some((t) => t.includes(code)), 30_000);
    await eventually('photo uploaded to the desk', () => telegram.photosTo(DESK).some((p) => p.fileId === null), 30_000);

    // Triage on another instance; the reporter is told.
    expect(await post(c, deskPress(deskPayload(report?._id ?? '', 'accept')))).toBe(200);
    await eventually('reporter told of acceptance', () => telegram.textsTo(RESIDENT).some((t) => t.includes('Công an Phường 4 tiếp nhận')), 30_000);

    // Zalo: a message to one instance, answered once.
    const zaloUser = new ZaloUser(a, zalo, '7733991100112233445');
    await zaloUser.step(() => zaloUser.text('/trogiup'), 'Các lệnh');

    // A later event: the resident's own /trogiup through a, answered. Whatever a dead instance or a duplicate would have sent has had its time.
    await answered(a, textUpdate(RESIDENT, '/trogiup'), 'Các lệnh');
    await eventually('every pending delivery settled', async () => (await database.models.deskDeliveries.countDocuments({ status: 'pending' })) === 0, 30_000);

    const cardsAtDesk = telegram.textsTo(DESK).filter((t) => t.includes(code) && t.includes('TIN BÁO'));
    expect(cardsAtDesk).toHaveLength(1);
    expect(telegram.textsTo(RESIDENT).filter((t) => t.includes('Mã biên nhận'))).toHaveLength(1);
    expect(telegram.textsTo(RESIDENT).filter((t) => t.includes('Công an Phường 4 tiếp nhận'))).toHaveLength(1);
    expect(await database.models.reports.countDocuments({})).toBe(1);
    for (const subscriber of subscribers) expect(telegram.textsTo(subscriber).filter((t) => t.includes(warning))).toHaveLength(1);
    expect(zalo.textsTo('7733991100112233445').filter((t) => t.includes('Các lệnh'))).toHaveLength(1);
    const audit = await database.models.auditLog.find({ reportId: report?._id }).lean();
    expect(audit.map((entry) => entry.action)).toEqual(['accept']);

    // The 30-second jobs' next fire time: elected once across the two instances alive, and run to its end.
    await eventually('a fire time of each 30-second job run', async () => {
      const done = await database.models.jobRuns.find({ finishedAt: { $exists: true } }).lean();
      return ['reporter-notice-retries', 'report-change-sweep', 'zalo-event-recovery'].every((job) => done.some((run) => run.job === job));
    }, 45_000);
    const runs = await database.models.jobRuns.find({}).lean();
    for (const run of runs) expect(run._id).toMatch(new RegExp(`^${run.job}:\\d{4}-`));
    expect(runs.filter((run) => run.job === 'reporter-notice-retries').length).toBe(new Set(runs.filter((run) => run.job === 'reporter-notice-retries').map((run) => run._id)).size);
  }, 300_000);
});
