import { startApp, type RunningApp } from '../../src/app';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { JPEG_BYTES, PHOTO_WITH_EXIF, seedCampaign, seedPicture } from '../support/seed-audience';
import { FakeZaloServer, zaloSignature } from '../support/fake-zalo-server';
import { fileTelegramTip } from '../support/file-tip';
import { TelegramUser } from '../support/telegram-user';
import { TEST_KEY, eventually, testEnv } from '../support/test-env';
import { ZaloUser } from '../support/zalo-user';
import { deskPayload } from '../../src/core/payloads';

const P4_DESK = -5004;
const BIG_ID = '8839284716251773620';
const DAY = 24 * 3_600_000;

describe('the Zalo Official Account channel', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let app: RunningApp;
  let env: ReturnType<typeof testEnv>;
  let now: Date;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    zalo = new FakeZaloServer();
    const [apiRoot] = await Promise.all([telegram.start(), zalo.start()]);
    now = new Date();
    env = testEnv('zalo', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ...zalo.serviceEnv() });
    app = await startApp(env, { clock: () => now });
    new TelegramUser(telegram, 9504, 'Trực ban', P4_DESK).text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    await eventually('desk registered', () => telegram.textsTo(P4_DESK).some((t) => t.includes('bàn trực ban')));
  });

  afterAll(async () => {
    await app.stop();
    await Promise.all([telegram.stop(), zalo.stop()]);
  });

  const saidOnZalo = (user: ZaloUser, needle: string) => eventually(`Zalo ${user.id} told “${needle}”`, () => zalo.textsTo(user.id).some((t) => t.includes(needle)));
  const step = (user: ZaloUser, act: () => Promise<Response>, next: string) => user.step(act, next);

  it('takes a full tip from a Zalo user (with a photo, through a token expiring mid-way) to a Telegram desk and carries the officer’s reply back', async () => {
    const resident = new ZaloUser(app.url, zalo, BIG_ID, () => now.getTime());
    const photo = PHOTO_WITH_EXIF;
    await step(resident, () => resident.text('/baotin'), 'dữ liệu cá nhân');
    await step(resident, () => resident.press('✅ Tôi đồng ý'), 'Bước 1/7');
    await step(resident, () => resident.press('Trộm cắp, cướp giật'), 'Bước 2/7');
    zalo.expireAccessToken();
    await step(resident, () => resident.text('Trộm đột nhập nhà số 8 lấy xe máy lúc rạng sáng.'), 'Bước 3/7');
    expect(zalo.refreshes).toBe(1);
    await step(resident, () => resident.text('phuong 4'), 'Bước 4/7');
    await step(resident, () => resident.press('Không rõ'), 'Bước 5/7');
    await step(resident, () => resident.image(zalo.addFile('evidence-1.jpg', photo), photo.length), 'Đã nhận tệp 1');
    await step(resident, () => resident.press('✅ Xong'), 'Bước 6/7');
    await step(resident, () => resident.press('Bỏ qua'), 'Bước 7/7');
    await step(resident, () => resident.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
    await step(resident, () => resident.press('📨 Gửi tin báo'), 'Mã biên nhận');
    const code = /TB-[2-9A-HJ-NP-Z]{6}/.exec(zalo.textsTo(BIG_ID).find((t) => t.includes('Mã biên nhận')) ?? '')?.[0] ?? '';

    const report = await app.reports.byCode(code);
    expect(report).toMatchObject({ channel: 'zalo', unitIds: ['cap-p4'], evidence: [expect.objectContaining({ kind: 'photo', original: expect.objectContaining({ size: photo.length }) })] });
    await eventually('card at the Telegram desk', () => telegram.textsTo(P4_DESK).some((t) => t.includes(code) && t.includes('Kênh: Zalo')));
    await eventually('photo copied to the desk', () => telegram.callsOf('sendPhoto', P4_DESK).length === 1);

    const officer = new TelegramUser(telegram, 9541, 'Tuấn', P4_DESK);
    officer.pressData(deskPayload(report?._id ?? '', 'accept'));
    await saidOnZalo(resident, 'Công an Phường 4 tiếp nhận');
    officer.pressData(deskPayload(report?._id ?? '', 'reply'));
    await eventually('reply prompt', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Người báo tin #${code}`)));
    officer.text('Cảm ơn, xin cho biết biển số xe máy?');
    await eventually('officer told it was sent', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Đã chuyển tới Người báo tin #${code}`)));
    await saidOnZalo(resident, 'xin cho biết biển số xe máy');
    expect((await resident.text(`/bosung ${code} Biển số 59X1-123.45`)).status).toBe(200);
    await eventually('answer at the desk', () => telegram.textsTo(P4_DESK).some((t) => t.includes('59X1-123.45')));

    // Every message went to the exact 19-digit id, never a rounded one.
    const recipients = new Set(zalo.sent.map((s) => s.userId));
    expect(recipients.has(BIG_ID)).toBe(true);
    expect([...recipients].filter((id) => id.startsWith('88392847162517'))).toEqual([BIG_ID]);
    expect(JSON.stringify(telegram.calls.filter((c) => Number(c.params.chat_id) === P4_DESK))).not.toContain(BIG_ID);
  });

  it('processes a correctly signed event only when its timestamp is fresh: old and far-future ones are acknowledged and dropped, non-times refused', async () => {
    const at = (time: () => number) => new ZaloUser(app.url, zalo, '1212121212121212121', time);
    const recorded = await app.database.models.zaloEvents.countDocuments({});
    const stale = [() => now.getTime() - 365 * DAY, () => now.getTime() - 25 * 3_600_000, () => now.getTime() + 10 * 365 * DAY];
    for (const time of stale) {
      const response = await at(time).post(at(time).event('user_send_text', { text: '/trogiup' }));
      expect(response.status).toBe(200);
    }
    for (const notATime of ['abc', '0']) {
      const word = at(() => now.getTime()).event('user_send_text', { text: '/trogiup' });
      const forged = { body: word.body.replace(`"timestamp":"${word.timestamp}"`, `"timestamp":"${notATime}"`), timestamp: notATime };
      expect((await at(() => now.getTime()).post(forged)).status).toBe(400);
    }
    expect(await app.database.models.zaloEvents.countDocuments({})).toBe(recorded);

    // A fresh one is handled, and only it.
    const fresh = at(() => now.getTime());
    await fresh.step(() => fresh.text('/trogiup'), 'Các lệnh');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(zalo.textsTo(fresh.id).filter((t) => t.includes('Các lệnh'))).toHaveLength(1);
  });

  it('gives up a file whose download never answers, tells the resident, and goes on with the chat', async () => {
    const resident = new ZaloUser(app.url, zalo, '1313131313131313131', () => now.getTime());
    await resident.step(() => resident.text('/baotin'), 'dữ liệu cá nhân');
    await resident.step(() => resident.press('✅ Tôi đồng ý'), 'Bước 1/7');
    await resident.step(() => resident.press('Trộm cắp, cướp giật'), 'Bước 2/7');
    await resident.step(() => resident.text('Trộm xe đạp trước cổng chợ.'), 'Bước 3/7');
    await resident.step(() => resident.text('phuong 4'), 'Bước 4/7');
    await resident.step(() => resident.press('Không rõ'), 'Bước 5/7');
    // ZALO_HTTP_TIMEOUT_MS is 2 s in the specs (30 s by default).
    await resident.step(() => resident.image(zalo.hangingFileUrl('never.jpg'), 1000), 'Không tải được tệp này');
    await resident.step(() => resident.press('Bỏ qua'), 'Bước 6/7');
  });

  it('refuses a forged signature (401) and malformed JSON (400), processing nothing', async () => {
    const intruder = new ZaloUser(app.url, zalo, '1111111111111111111', () => now.getTime());
    const event = intruder.event('user_send_text', { text: '/start' });
    expect((await intruder.post(event, zaloSignature(event.body, event.timestamp, 'wrong-secret'))).status).toBe(401);
    expect((await intruder.post(event, '')).status).toBe(401);
    expect((await intruder.post({ body: event.body.replace('/start', '/help'), timestamp: event.timestamp }, zaloSignature(event.body, event.timestamp))).status).toBe(401);
    const malformed = await fetch(`${app.url}/webhooks/zalo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' }, body: '{"event_name": ' });
    expect(malformed.status).toBe(400);
    const injected = intruder.event('user_send_text', { text: { $gt: '' } });
    expect((await intruder.post(injected)).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(zalo.textsTo(intruder.id)).toEqual([]);
    const forgedId = /"msg_id":"([^"]+)"/.exec(event.body)?.[1];
    expect(await app.database.models.zaloEvents.countDocuments({ _id: `zalo:${forgedId}` })).toBe(0);
  });

  it('processes a retried event once, however many times and however fast Zalo sends it', async () => {
    const user = new ZaloUser(app.url, zalo, '5555555555555555555', () => now.getTime());
    const event = user.event('user_send_text', { text: '/trogiup' }, 'retried-msg-1');
    const answers = await Promise.all([user.post(event), user.post(event), user.post(event)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await saidOnZalo(user, 'Các lệnh');
    expect((await user.post(event)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(zalo.textsTo(user.id).filter((t) => t.includes('Các lệnh'))).toHaveLength(1);
  });

  it('handles an event recorded before a crash (answered 200, never processed) in the recovery round, and waits out a rate limit', async () => {
    const user = new ZaloUser(app.url, zalo, '6666666666666666666', () => now.getTime());
    const event = user.event('user_send_text', { text: '/trogiup' }, 'recorded-before-crash');
    const cipher = createPiiCipher(Buffer.from(TEST_KEY, 'base64'));
    await app.database.models.zaloEvents.create({ _id: 'zalo:recorded-before-crash', bodyEnc: cipher.encrypt(event.body), status: 'pending', receivedAt: now });
    expect(await app.zalo?.recover()).toBe(0);
    now = new Date(now.getTime() + 60_000);
    zalo.rateLimitNext = 1;
    expect(await app.zalo?.recover()).toBe(1);
    await saidOnZalo(user, 'Các lệnh');
    expect((await app.database.models.zaloEvents.findOne({ _id: 'zalo:recorded-before-crash' }).lean())?.status).toBe('done');
  });

  it('refreshes the token once when two instances send at the same time, and keeps the rotated pair', async () => {
    const second = await startApp({ ...env, TELEGRAM_POLLING: false }, { clock: () => now });
    try {
      zalo.expireAccessToken();
      const refreshesBefore = zalo.refreshes;
      const address = { channel: 'zalo' as const, chatId: BIG_ID };
      await Promise.all([app.chats.send(address, [{ text: 'Tin thứ nhất' }]), second.chats.send(address, [{ text: 'Tin thứ hai' }])]);
      expect(zalo.refreshes).toBe(refreshesBefore + 1);
      expect(zalo.textsTo(BIG_ID)).toEqual(expect.arrayContaining(['Tin thứ nhất', 'Tin thứ hai']));
      const stored = await app.database.models.zaloTokens.findOne({ _id: 'oa' }).lean();
      expect(createPiiCipher(Buffer.from(TEST_KEY, 'base64')).decrypt(stored?.refreshTokenEnc ?? '')).toBe(zalo.currentRefreshToken);
    } finally {
      await second.stop();
    }
  });

  it('splits a 5,000-character message into pieces Zalo accepts, losing nothing', async () => {
    const long = Array.from({ length: 500 }, (_, i) => `Câu số ${i + 1}.`).join(' ').slice(0, 5000);
    expect(long.length).toBe(5000);
    const before = zalo.textsTo(BIG_ID).length;
    await app.chats.send({ channel: 'zalo', chatId: BIG_ID }, [{ text: long }]);
    const pieces = zalo.textsTo(BIG_ID).slice(before);
    expect(pieces).toHaveLength(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(pieces.join('')).toBe(long);
  });

  it('holds messages for a user outside the 7-day window, tells the officer, and delivers them when the user writes again', async () => {
    const resident = new ZaloUser(app.url, zalo, '7777777777777777777', () => now.getTime());
    await step(resident, () => resident.text('/baotin'), 'dữ liệu cá nhân');
    await step(resident, () => resident.press('✅ Tôi đồng ý'), 'Bước 1/7');
    await step(resident, () => resident.press('Cờ bạc, lô đề'), 'Bước 2/7');
    await step(resident, () => resident.text('Ghi lô đề công khai ở quán nước đầu hẻm.'), 'Bước 3/7');
    await step(resident, () => resident.text('phuong 4'), 'Bước 4/7');
    await step(resident, () => resident.press('Không rõ'), 'Bước 5/7');
    await step(resident, () => resident.press('Bỏ qua'), 'Bước 6/7');
    await step(resident, () => resident.press('Bỏ qua'), 'Bước 7/7');
    await step(resident, () => resident.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
    await step(resident, () => resident.press('📨 Gửi tin báo'), 'Mã biên nhận');
    const code = /TB-[2-9A-HJ-NP-Z]{6}/.exec(zalo.textsTo(resident.id).find((t) => t.includes('Mã biên nhận')) ?? '')?.[0] ?? '';
    const report = await app.reports.byCode(code);
    await eventually('card at the desk', () => telegram.textsTo(P4_DESK).some((t) => t.includes(code)));

    now = new Date(now.getTime() + 8 * DAY);
    const officer = new TelegramUser(telegram, 9542, 'Hà', P4_DESK);
    officer.pressData(deskPayload(report?._id ?? '', 'reply'));
    await eventually('reply prompt', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Nhập nội dung gửi Người báo tin #${code}`)));
    const sentBefore = zalo.textsTo(resident.id).length;
    officer.text('Quán nước đó ở số nhà nào?');
    await eventually('officer told it is held', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Đã lưu tin nhắn cho Người báo tin #${code}`) && t.includes('7 ngày')));
    await app.notices.flush();
    expect(zalo.textsTo(resident.id).length).toBe(sentBefore);

    expect((await resident.text('/trogiup')).status).toBe(200);
    await saidOnZalo(resident, 'Quán nước đó ở số nhà nào?');
    await saidOnZalo(resident, 'Các lệnh');
    const after = zalo.textsTo(resident.id).slice(sentBefore);
    expect(after.findIndex((t) => t.includes('Quán nước đó'))).toBeLessThan(after.findIndex((t) => t.includes('Các lệnh')));

    // Zalo itself may refuse (-230) a user the service thought reachable: the message is held, not failed.
    zalo.outsideWindow.add(resident.id);
    await app.chats.send({ channel: 'zalo', chatId: resident.id }, [{ text: 'Nhắc lại: đội đang xác minh.' }]);
    zalo.outsideWindow.delete(resident.id);
    expect(zalo.textsTo(resident.id).some((t) => t.includes('đội đang xác minh'))).toBe(false);
    expect((await resident.text('cảm ơn')).status).toBe(200);
    await saidOnZalo(resident, 'Nhắc lại: đội đang xác minh.');
  });

  it('lets an officer run a desk from Zalo: the card comes with Zalo buttons and triage works from them', async () => {
    const officer = new ZaloUser(app.url, zalo, '9999999999999999999', () => now.getTime());
    await step(officer, () => officer.text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p9')?.code}`), 'Công an Phường 9');
    const code = await fileTelegramTip(telegram, new TelegramUser(telegram, 5901, 'Vân'), { category: 'Trộm cắp, cướp giật', description: 'Mất trộm xe đạp trước cổng trường.', ward: 'Phường 9' });
    await saidOnZalo(officer, `TIN BÁO MỚI ${code}`);
    await eventually('accept button on Zalo', () => zalo.lastButtons(officer.id).some((b) => b.title === '✅ Tiếp nhận'));
    expect((await officer.press('✅ Tiếp nhận')).status).toBe(200);
    await eventually('accepted from Zalo', async () => (await app.reports.byCode(code))?.status === 'accepted');
  });

  it('sends campaigns to a Zalo subscriber only within the 7-day window, and never at night', async () => {
    const resident = new ZaloUser(app.url, zalo, '3333333333333333333', () => now.getTime());
    now = new Date('2026-12-10T03:00:00Z'); // 10:00 in Vietnam
    await step(resident, () => resident.text('/dangky'), 'dữ liệu cá nhân');
    await step(resident, () => resident.press('✅ Tôi đồng ý'), 'Bạn ở phường nào');
    await step(resident, () => resident.press('Phường 11'), 'Chọn các chủ đề');
    await step(resident, () => resident.press('Mua bán người'), 'Chọn các chủ đề');
    await step(resident, () => resident.press('✅ Xong'), 'Đã đăng ký nhận cảnh báo');
    const campaign = (id: string) => seedCampaign(app.database.models, id, { topic: 'trafficking', audience: { wards: ['q3-p11'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: now } });
    const outcome = async (id: string) => (await app.database.models.broadcastOutcomes.findOne({ campaignId: id }).lean())?.status;

    await campaign('CD-ZDAY');
    await app.scheduler.tick();
    await app.dispatcher.drainDue();
    await saidOnZalo(resident, 'Cảnh báo CD-ZDAY');
    expect(await outcome('CD-ZDAY')).toBe('sent');

    now = new Date('2026-12-10T16:00:00Z'); // 23:00: Zalo sends nothing at night
    await campaign('CD-ZNIGHT');
    await app.scheduler.tick();
    await app.dispatcher.drainDue();
    expect(zalo.textsTo(resident.id).some((t) => t.includes('Cảnh báo CD-ZNIGHT'))).toBe(false);
    now = new Date('2026-12-10T23:05:00Z'); // 06:05 the next morning
    await app.dispatcher.drainDue();
    await saidOnZalo(resident, 'Cảnh báo CD-ZNIGHT');

    now = new Date('2026-12-19T03:00:00Z'); // more than 7 days after the resident last wrote
    await campaign('CD-ZLATE');
    await app.scheduler.tick();
    await app.dispatcher.drainDue();
    expect(await outcome('CD-ZLATE')).toBe('skipped');
    expect((await app.database.models.broadcastOutcomes.findOne({ campaignId: 'CD-ZLATE' }).lean())?.reason).toBe('outside_window');
    // Skipped by rule, not held: writing again does not bring an old campaign message.
    expect((await resident.text('/trogiup')).status).toBe(200);
    await saidOnZalo(resident, 'Các lệnh');
    expect(zalo.textsTo(resident.id).some((t) => t.includes('Cảnh báo CD-ZLATE'))).toBe(false);
  });
  it('sends a campaign picture to Zalo followers as one image message captioned with its text, uploading the picture once', async () => {
    const first = new ZaloUser(app.url, zalo, '3333333333333333333', () => now.getTime()); // subscribed above; last wrote on 19 December
    const second = new ZaloUser(app.url, zalo, '4444444444444444444', () => now.getTime());
    now = new Date('2026-12-19T03:30:00Z');
    await step(second, () => second.text('/dangky'), 'dữ liệu cá nhân');
    await step(second, () => second.press('✅ Tôi đồng ý'), 'Bạn ở phường nào');
    await step(second, () => second.press('Phường 11'), 'Chọn các chủ đề');
    await step(second, () => second.press('Mua bán người'), 'Chọn các chủ đề');
    await step(second, () => second.press('✅ Xong'), 'Đã đăng ký nhận cảnh báo');
    const picture = await seedPicture(app.database.models, JPEG_BYTES('zalo poster'), 'image/jpeg', 'a-telegram-file-id');
    const text = 'Ảnh CD-ZPIC: cảnh giác với lời mời việc nhẹ lương cao ở nước ngoài.';
    await seedCampaign(app.database.models, 'CD-ZPIC', { topic: 'trafficking', messages: [{ text, image: picture }], audience: { wards: ['q3-p11'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: now } });
    const uploadsBefore = zalo.uploads.filter((u) => u.kind === 'image').length;

    await app.scheduler.tick();
    await app.dispatcher.drainDue();
    for (const user of [first, second]) {
      const got = zalo.sent.filter((s) => s.userId === user.id && s.message.text === text);
      expect({ user: user.id, got: got.map((s) => s.message.attachment?.payload) }).toEqual({
        user: user.id,
        got: [{ template_type: 'media', elements: [{ media_type: 'image', attachment_id: expect.stringMatching(/^img\d+$/) }] }],
      });
    }
    // The picture is uploaded to Zalo once (a Telegram file_id means nothing there), then sent by its attachment id.
    expect(zalo.uploads.filter((u) => u.kind === 'image').length).toBe(uploadsBefore + 1);
    expect((await app.database.models.broadcastOutcomes.find({ campaignId: 'CD-ZPIC' }).lean()).map((o) => o.status)).toEqual(['sent', 'sent']);
  });
});
