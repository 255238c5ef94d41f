import { startApp, type RunningApp } from '../../src/app';
import { createPiiCipher, generateKey, parseKey } from '../../src/shared/pii-cipher';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { PHOTO_WITH_EXIF } from '../support/seed-audience';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';

const OLD_KEY = generateKey();
const NEW_KEY = generateKey();
const DESCRIPTION = 'Nhóm cho vay nặng lãi đòi nợ bằng cách ném chất bẩn vào nhà dân trong hẻm.';

/**
 * DATA_ENCRYPTION_KEY rotates without downtime: the service runs with the
 * new key and the old one as a previous key, reads everything meanwhile,
 * re-encrypts it in the background, and afterwards runs with the new key
 * alone. Pseudonyms (how a resident is recognised) do not change.
 */
describe('rotating the data encryption key', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp | null = null;
  const base = testEnv('key_rotation');
  const env = (overrides: Partial<typeof base>) => ({ ...base, TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ...overrides });

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    await telegram.start();
  });

  afterAll(async () => {
    await app?.stop();
    await telegram.stop();
  });

  /** Every ciphertext stored anywhere (collections and evidence files), by the key that made it. */
  async function keysInUse(running: RunningApp): Promise<Set<string>> {
    const db = running.database.connection.db;
    if (!db) throw new Error('no database');
    const ids = new Set<string>();
    for (const model of Object.values(running.database.models)) {
      const text = JSON.stringify(await db.collection(model.collection.collectionName).find({}).toArray());
      for (const match of text.matchAll(/"v2:([0-9a-f]{8}):/g)) ids.add(match[1] ?? '');
      if (/"v1:/.test(text)) ids.add('v1');
    }
    // Files: the key id is in the header of their first chunk.
    for (const file of await running.database.models.files.find({}).lean()) {
      const first = await db.collection<{ _id: string; data: { buffer: Uint8Array } }>('file_chunks').findOne({ _id: `${file.blob}:0` });
      ids.add(Buffer.from(first?.data.buffer ?? []).subarray(4, 8).toString('hex'));
    }
    return ids;
  }

  it('re-encrypts everything with the new key, and the old key can then be dropped', async () => {
    const oldId = createPiiCipher(parseKey(OLD_KEY)).currentKeyId;
    const newId = createPiiCipher(parseKey(NEW_KEY)).currentKeyId;

    // Before: a resident files a tip with a photo under the old key.
    app = await startApp(env({ DATA_ENCRYPTION_KEY: OLD_KEY }));
    const resident = new TelegramUser(telegram, 6060, 'Tâm');
    const answer = async (act: () => number, next: string): Promise<void> => {
      const before = telegram.textsTo(resident.id).length;
      act();
      await eventually(next, () => telegram.textsTo(resident.id).slice(before).some((t) => t.includes(next)));
    };
    telegram.addFile('rotation-photo', PHOTO_WITH_EXIF);
    await answer(() => resident.text('/baotin'), 'dữ liệu cá nhân');
    await answer(() => resident.press('✅ Tôi đồng ý'), 'Bước 1/7');
    await answer(() => resident.press('Tín dụng đen'), 'Bước 2/7');
    await answer(() => resident.text(DESCRIPTION), 'Bước 3/7');
    await answer(() => resident.text('hẻm 12 Trần Văn Đặng, phường 4'), 'Bước 4/7');
    await answer(() => resident.press('Không rõ'), 'Bước 5/7');
    await answer(() => resident.photo('rotation-photo', PHOTO_WITH_EXIF.length), 'Đã nhận tệp 1');
    await answer(() => resident.press('✅ Xong'), 'Bước 6/7');
    await answer(() => resident.text('SĐT 0988 777 666'), 'Bước 7/7');
    await answer(() => resident.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
    await answer(() => resident.press('📨 Gửi tin báo'), 'Mã biên nhận');
    const code = /TB-[2-9A-HJ-NP-Z]{6}/.exec(telegram.textsTo(resident.id).find((t) => t.includes('Mã biên nhận')) ?? '')?.[0] ?? '';
    expect([...(await keysInUse(app))]).toEqual([oldId]);
    await app.stop();

    // During: the new key with the old one still configured. Everything reads, and is moved over.
    app = await startApp(env({ DATA_ENCRYPTION_KEY: NEW_KEY, DATA_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY }));
    expect((await app.reports.byCode(code))?.description).toBe(DESCRIPTION);
    const running = app;
    await eventually('everything re-encrypted', async () => {
      const ids = await keysInUse(running);
      return ids.size === 1 && ids.has(newId);
    }, 30_000);
    await app.stop();

    // After: the new key alone. The resident is still recognised as the tip's reporter and sees what they wrote.
    app = await startApp(env({ DATA_ENCRYPTION_KEY: NEW_KEY }));
    expect((await app.reports.byCode(code))?.description).toBe(DESCRIPTION);
    const before = telegram.textsTo(resident.id).length;
    resident.text('/dulieucuatoi');
    await eventually('their data, in full', () => telegram.textsTo(resident.id).slice(before).some((t) => t.includes(code) && t.includes('ném chất bẩn')));
  }, 120_000);
});
