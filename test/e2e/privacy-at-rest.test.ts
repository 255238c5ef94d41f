import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { deskPayload } from '../../src/core/payloads';
import { loadCatalog } from '../../src/config/catalog';
import { loadUnits } from '../../src/config/units';
import { DeskService } from '../../src/domain/desks/desk-service';
import { openDatabase, type Database } from '../../src/storage/database';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { buildServiceForChildProcess, exited, spawnServiceWithLog } from '../support/service-process';
import { ROOT } from '../support/services';
import { TelegramUser } from '../support/telegram-user';
import { TEST_INVITE_CODE, TEST_KEY, eventually, testDatabaseUri } from '../support/test-env';

const RESIDENT_ID = 7391846205;
const DESK_CHAT = -1007391846;

/** What the resident and the officer write: none of it may be found in the log or, in plain, in the database. */
const SUBMITTED = {
  description: 'Ông Trần Quang Vĩnh bán ma túy tổng hợp cho học sinh sau giờ tan trường',
  address: 'hẻm 77/3 Lý Chính Thắng, phường 4',
  suspectPhone: '0977 123 456',
  contactPhone: '0912 000 111',
  contactName: 'Phạm Thị Diễm Mai',
  officerReply: 'Chị Mai cho hỏi nhà ông Vĩnh có cổng sắt màu xanh không?',
  followup: 'Đúng rồi, cổng xanh, có con chó vàng hay sủa.',
};

/** The forms a value may be stored or logged in: as typed, and without spaces (a normalized phone). */
function needles(): string[] {
  const values = Object.values(SUBMITTED);
  return [...values, ...values.map((v) => v.replace(/\s+/g, '')).filter((v) => /^\d+$/.test(v)), 'Trần Quang Vĩnh', 'Lý Chính Thắng', 'Diễm Mai', 'cổng xanh'];
}

/**
 * A resident files a named tip with a suspect's phone, an officer accepts it
 * and writes to them, they answer: all through a real service process over
 * the Telegram Bot API, logging at debug level. Afterwards neither its log
 * nor its database (every collection, and on the embedded server the SQLite
 * files themselves, old row versions included) holds any of what they wrote,
 * the resident's chat id, or the suspect's phone number.
 */
describe('what residents submit is not in the logs, and not in plain in the database', () => {
  let telegram: FakeTelegramServer;
  let database: Database;
  let service: { child: ChildProcess; output: string[] };
  const uri = testDatabaseUri('privacy_at_rest');

  beforeAll(async () => {
    const mainJs = buildServiceForChildProcess();
    telegram = new FakeTelegramServer();
    await telegram.start();
    database = await openDatabase(uri);
    service = spawnServiceWithLog(mainJs, {
      MONGODB_URI: uri,
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      WEBCHAT_ENABLED: 'false',
      PORT: '0',
      LOG_LEVEL: 'debug',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tinbao-privacy-')),
      DATA_ENCRYPTION_KEY: TEST_KEY,
      OFFICER_INVITE_CODE: TEST_INVITE_CODE,
      DESK_DELIVERY_INTERVAL_MS: '200',
    });
  }, 120_000);

  afterAll(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await database.close();
    await telegram.stop();
  });

  it('files, triages and talks, then finds none of it in the log or the database', async () => {
    const catalog = loadCatalog(path.join(ROOT, 'config'));
    const desks = new DeskService(database.models.desks, database.models.cacheVersions, loadUnits(path.join(ROOT, 'config'), catalog), TEST_INVITE_CODE);
    const officer = new TelegramUser(telegram, 9_100_001, 'Cán bộ Phong', DESK_CHAT);
    await eventually('service up', () => telegram.callsOf('getUpdates').length > 0, 60_000);
    officer.text(`/trucban ${desks.inviteCodeFor('cap-p4')}`);
    await eventually('desk registered', () => telegram.textsTo(DESK_CHAT).some((t) => t.includes('bàn trực ban')));

    const resident = new TelegramUser(telegram, RESIDENT_ID, 'Mai');
    const answer = async (act: () => number, next: string): Promise<void> => {
      const before = telegram.textsTo(resident.id).length;
      act();
      await eventually(next, () => telegram.textsTo(resident.id).slice(before).some((t) => t.includes(next)));
    };
    await answer(() => resident.text('/baotin'), 'dữ liệu cá nhân');
    await answer(() => resident.press('✅ Tôi đồng ý'), 'Bước 1/7');
    await answer(() => resident.press('Ma túy'), 'Bước 2/7');
    await answer(() => resident.text(SUBMITTED.description), 'Bước 3/7');
    await answer(() => resident.text(SUBMITTED.address), 'Bước 4/7');
    await answer(() => resident.press('Sớm hơn trong hôm nay'), 'Bước 5/7');
    await answer(() => resident.press('Bỏ qua'), 'Bước 6/7');
    await answer(() => resident.text(`SĐT đối tượng ${SUBMITTED.suspectPhone}`), 'Bước 7/7');
    await answer(() => resident.press('📞 Để lại số điện thoại'), 'Gõ số điện thoại');
    await answer(() => resident.text(`${SUBMITTED.contactPhone} ${SUBMITTED.contactName}`), 'Kiểm tra lại');
    await answer(() => resident.press('📨 Gửi tin báo'), 'Mã biên nhận');

    await eventually('card at the desk', () => telegram.textsTo(DESK_CHAT).some((t) => t.includes('Trần Quang Vĩnh')), 30_000);
    const card = telegram.callsOf('sendMessage', DESK_CHAT).find((c) => String(c.params.text).includes('Trần Quang Vĩnh'));
    const reportId = /"d:([^:"]+):accept"/.exec(JSON.stringify(card?.params.reply_markup))?.[1] ?? '';
    expect(reportId).not.toBe('');

    officer.pressData(deskPayload(reportId, 'accept'));
    await eventually('reporter told', () => telegram.textsTo(resident.id).some((t) => t.includes('tiếp nhận và đang xác minh')));
    officer.pressData(deskPayload(reportId, 'reply'));
    await eventually('desk asked for the message', () => telegram.textsTo(DESK_CHAT).some((t) => t.includes('Người báo tin #')));
    officer.text(SUBMITTED.officerReply);
    await eventually('relayed', () => telegram.textsTo(resident.id).some((t) => t.includes('cổng sắt màu xanh')));
    resident.press('✍️ Trả lời / bổ sung');
    await eventually('asked what to add', () => telegram.textsTo(resident.id).some((t) => t.includes('Gửi nội dung bổ sung')));
    resident.text(SUBMITTED.followup);
    await eventually('answer at the desk', () => telegram.textsTo(DESK_CHAT).some((t) => t.includes('con chó vàng')));

    service.child.kill('SIGTERM');
    await exited(service.child);

    // The log: it was written (at debug level), and holds none of it.
    const log = service.output.join('');
    expect(log).toContain('service started');
    const inLog = [...needles(), String(RESIDENT_ID)].filter((needle) => log.includes(needle));
    expect(inLog).toEqual([]);

    // Every collection, as a dump would show it.
    const dump: string[] = [];
    const db = database.connection.db;
    if (!db) throw new Error('no database');
    for (const model of Object.values(database.models)) dump.push(JSON.stringify(await db.collection(model.collection.collectionName).find({}).toArray()));
    const dumped = dump.join('\n');
    expect(dumped).toContain(reportId);
    const inDump = [...needles(), String(RESIDENT_ID)].filter((needle) => dumped.includes(needle));
    expect(inDump).toEqual([]);

    // The embedded server's files, with the row versions an update leaves behind.
    const dir = process.env.TEST_FERRETDB_DIR;
    if (dir && existsSync(dir)) {
      const dbName = new URL(uri).pathname.slice(1);
      const files = readdirSync(dir).filter((name) => name.startsWith(`${dbName}.sqlite`));
      expect(files.length).toBeGreaterThan(0);
      const raw = Buffer.concat(files.map((name) => readFileSync(path.join(dir, name))));
      expect(raw.includes(Buffer.from(reportId))).toBe(true);
      const inFiles = needles().filter((needle) => raw.includes(Buffer.from(needle, 'utf8')));
      expect(inFiles).toEqual([]);
    }
  }, 180_000);
});
