import { startApp, type RunningApp } from '../../src/app';
import { formatVietnamTime } from '../../src/shared/vietnam-time';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { JPEG_BYTES, PNG_BYTES, seedCampaign, seedPicture, seedTelegramSubscribers } from '../support/seed-audience';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';

const ADMIN = 7000;
const GROUP = -6001;

describe('prevention campaigns: subscriptions, groups and scheduled broadcasts', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;
  let env: ReturnType<typeof testEnv>;
  let now: Date;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    // Monday 23 November 2026, 09:00 in Vietnam.
    now = new Date('2026-11-23T02:00:00Z');
    env = testEnv('campaigns', {
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      ADMIN_TELEGRAM_IDS: String(ADMIN),
      BROADCAST_RATE_PER_SECOND: '200',
      BROADCAST_CHAT_INTERVAL_MS: '20',
      // The spec drives scheduling and sending itself (scheduler.tick, dispatcher.drainDue).
      BROADCAST_WORKER: 'false',
    });
    app = await startApp(env, { clock: () => now });
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const said = (chat: number, needle: string) => eventually(`“${needle}” said to ${chat}`, () => telegram.textsTo(chat).some((t) => t.includes(needle)));
  const received = (chat: number, needle: string) => telegram.textsTo(chat).filter((t) => t.includes(needle)).length;
  /** Does something as the admin, then waits until the bot's next answers to the admin contain `next`. */
  const adminStep = async (act: () => number, next: string) => {
    const before = telegram.textsTo(ADMIN).length;
    act();
    await eventually(next, () => telegram.textsTo(ADMIN).slice(before).some((t) => t.includes(next)));
  };

  async function subscribe(user: TelegramUser, ward: string, topics: string[]): Promise<void> {
    user.text('/dangky');
    await said(user.id, 'dữ liệu cá nhân');
    user.press('✅ Tôi đồng ý');
    await said(user.id, 'Bạn ở phường nào');
    user.press(ward);
    await said(user.id, 'Chọn các chủ đề');
    for (const topic of topics) {
      const before = telegram.callsOf('sendMessage', user.id).length;
      user.press(topic);
      await eventually('topic ticked', () => telegram.callsOf('sendMessage', user.id).length > before);
    }
    user.press('✅ Xong');
    await said(user.id, 'Đã đăng ký nhận cảnh báo');
  }

  it('lets residents subscribe and groups register, then sends a campaign created in the chat to exactly its audience at its time', async () => {
    const scamsP4 = new TelegramUser(telegram, 6101, 'An');
    const drugsP4 = new TelegramUser(telegram, 6102, 'Bình');
    const scamsP9 = new TelegramUser(telegram, 6103, 'Chi');
    await subscribe(scamsP4, 'Phường 4', ['Lừa đảo qua mạng']);
    await subscribe(drugsP4, 'Phường 4', ['Ma túy']);
    await subscribe(scamsP9, 'Phường 9', ['Lừa đảo qua mạng', 'Trộm cắp']);

    // Only an admin of the group may register it.
    telegram.chatAdmins.set(String(GROUP), new Set(['6201']));
    new TelegramUser(telegram, 6202, 'Thành viên', GROUP).text('/nhom Phường 4');
    await said(GROUP, 'Chỉ quản trị viên của nhóm');
    new TelegramUser(telegram, 6201, 'Tổ trưởng', GROUP).text('/nhom phuong 4');
    await said(GROUP, 'Nhóm đã được đăng ký');

    // A resident who is not an admin cannot create campaigns.
    scamsP4.text('/chiendich');
    await said(scamsP4.id, 'Chỉ quản trị đơn vị');

    const admin = new TelegramUser(telegram, ADMIN, 'Trưởng CA');
    admin.text('/chiendich');
    await said(ADMIN, 'Chủ đề của chiến dịch');
    admin.press('Lừa đảo qua mạng');
    await said(ADMIN, 'Nhập nội dung tin 1');
    admin.text('⚠️ Cảnh báo: kẻ gian giả danh công an gọi điện yêu cầu chuyển tiền. Công an không làm việc qua điện thoại.');
    await said(ADMIN, 'Đã có 1 tin');
    admin.press('➡️ Tiếp tục');
    await said(ADMIN, 'Gửi đến phường nào');
    admin.text('Phường 4');
    await said(ADMIN, 'Gửi cho ai');
    admin.press('Người đăng ký và các nhóm');
    // Groups: all of them, or only those of one kind of self-management model.
    await said(ADMIN, 'Gửi tới nhóm nào?');
    admin.press('Mọi nhóm đã đăng ký của các phường đã chọn');
    await said(ADMIN, 'Khi nào gửi');
    admin.text('23/11/2026 10:00');
    await said(ADMIN, 'Giờ yên lặng');
    admin.press('Mặc định 21:00–07:00');
    await said(ADMIN, 'Xem trước');
    // The preview is the message exactly as recipients will get it.
    await eventually('preview sent', () => received(ADMIN, 'kẻ gian giả danh công an') === 1);
    // The activation button comes in the last message, after the preview.
    await eventually('activation offered', () => telegram.lastButtons(ADMIN).some((b) => b.text === '🚀 Kích hoạt'));
    admin.press('🚀 Kích hoạt');
    await said(ADMIN, 'Đã kích hoạt chiến dịch');
    const id = /CD-[2-9A-HJ-NP-Z]{5}/.exec(telegram.textsTo(ADMIN).find((t) => t.includes('Đã kích hoạt')) ?? '')?.[0] ?? '';

    // Nothing before its time.
    expect(await app.scheduler.tick()).toEqual([]);
    now = new Date('2026-11-23T03:00:00Z');
    expect(await app.scheduler.tick()).toEqual([`${id}:2026-11-23T03:00:00.000Z`]);
    await app.dispatcher.drainDue();

    expect(received(scamsP4.id, 'kẻ gian giả danh công an')).toBe(1);
    expect(received(GROUP, 'kẻ gian giả danh công an')).toBe(1);
    expect(received(drugsP4.id, 'kẻ gian giả danh công an')).toBe(0);
    expect(received(scamsP9.id, 'kẻ gian giả danh công an')).toBe(0);

    admin.text(`/chiendich ${id}`);
    await said(ADMIN, '2 người nhận · đã gửi 2 · lỗi 0 · chặn bot 0');

    admin.text('/chiendich ds');
    await said(ADMIN, `• ${id} · Lừa đảo qua mạng · đã xong`);
    admin.text(`/chiendich ${id} tamdung`);
    await said(ADMIN, `Chiến dịch ${id} đã kết thúc hoặc đã hủy`);
    // A resident cannot see or change another's campaign.
    scamsP9.text(`/chiendich ${id} huy`);
    await said(scamsP9.id, 'Chỉ quản trị đơn vị');

    // Unsubscribing is one step and stops everything.
    scamsP4.text('/huydangky');
    await said(scamsP4.id, 'Đã hủy đăng ký');
    expect(await app.database.models.subscriptions.countDocuments({})).toBe(2);
  });

  it('fires a recurring campaign on Vietnam time, and holds sends during quiet hours until they end', async () => {
    await seedTelegramSubscribers(app.database.models, 6300, 2, 'q3-p4', ['scams']);
    // 08:00 every Monday in Vietnam is 01:00 UTC; quiet 21:00–07:00.
    now = new Date('2026-11-29T20:00:00Z');
    await seedCampaign(app.database.models, 'CD-WEEKLY', { schedule: { kind: 'cron', expression: '0 8 * * 1', until: new Date('2026-12-31T16:59:59Z') }, scheduledThrough: now, quiet: { startMin: 21 * 60, endMin: 7 * 60 } });
    now = new Date('2026-11-30T00:59:00Z');
    expect(await app.scheduler.tick()).toEqual([]);
    now = new Date('2026-11-30T01:00:00Z');
    expect(await app.scheduler.tick()).toEqual(['CD-WEEKLY:2026-11-30T01:00:00.000Z']);
    await app.dispatcher.drainDue();
    expect(received(6300, 'Cảnh báo CD-WEEKLY')).toBe(1);

    // A one-off at 22:30 falls in the quiet hours: nothing until 07:00.
    await seedCampaign(app.database.models, 'CD-NIGHT', { schedule: { kind: 'once', at: new Date('2026-11-30T15:30:00Z') }, quiet: { startMin: 21 * 60, endMin: 7 * 60 } });
    now = new Date('2026-11-30T15:31:00Z');
    expect(await app.scheduler.tick()).toEqual(['CD-NIGHT:2026-11-30T15:30:00.000Z']);
    await app.dispatcher.drainDue();
    expect(received(6300, 'Cảnh báo CD-NIGHT')).toBe(0);
    now = new Date('2026-12-01T00:00:00Z');
    await app.dispatcher.drainDue();
    expect(received(6301, 'Cảnh báo CD-NIGHT')).toBe(1);
    expect((await app.database.models.campaigns.findOne({ _id: 'CD-NIGHT' }).lean())?.status).toBe('finished');
  });

  it('skips a resident who unsubscribed mid-run, drops one who blocked the bot, and honours 429 retry_after', async () => {
    const ids = await seedTelegramSubscribers(app.database.models, 6400, 4, 'q3-p12', ['theft']);
    now = new Date('2026-12-01T03:00:00Z');
    await seedCampaign(app.database.models, 'CD-THEFT', { topic: 'theft', audience: { wards: ['q3-p12'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: now } });
    await app.scheduler.tick();

    // The run has its recipients; then one unsubscribes, one blocks the bot, and Telegram says 429.
    expect(await app.database.models.broadcastDeliveries.countDocuments({ campaignId: 'CD-THEFT' })).toBe(4);
    new TelegramUser(telegram, ids[0], 'Đổi ý').text('/huydangky');
    await said(ids[0], 'Đã hủy đăng ký');
    telegram.blockedChats.add(String(ids[1]));
    telegram.tooManyRequests(1, 1);
    const started = Date.now();
    await app.dispatcher.drainDue();
    expect(received(ids[2], 'Cảnh báo CD-THEFT') + received(ids[3], 'Cảnh báo CD-THEFT')).toBe(1);
    expect(await app.database.models.broadcastRetries.countDocuments({ campaignId: 'CD-THEFT' })).toBe(1);
    now = new Date(now.getTime() + 2000);
    await app.dispatcher.drainDue();
    expect(await app.database.models.broadcastRetries.countDocuments({ campaignId: 'CD-THEFT' })).toBe(0);
    // The whole dispatcher waited out retry_after before sending again.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(received(ids[0], 'Cảnh báo CD-THEFT')).toBe(0);
    expect(received(ids[2], 'Cảnh báo CD-THEFT')).toBe(1);
    expect(received(ids[3], 'Cảnh báo CD-THEFT')).toBe(1);
    const statuses = (await app.database.models.broadcastOutcomes.find({ campaignId: 'CD-THEFT' }).lean()).map((d) => d.status).sort();
    expect(statuses).toEqual(['blocked', 'sent', 'sent', 'skipped']);
    // Whoever blocked the bot is unsubscribed.
    expect(await app.database.models.subscriptions.countDocuments({ wardId: 'q3-p12' })).toBe(2);
  });

  it('fires each run once and sends each message once with two instances sharing the work', async () => {
    const second = await startApp({ ...env, TELEGRAM_POLLING: false }, { clock: () => now });
    try {
      const ids = await seedTelegramSubscribers(app.database.models, 6500, 40, 'q3-p11', ['drugs']);
      now = new Date('2026-12-02T03:00:00Z');
      await seedCampaign(app.database.models, 'CD-TWO', {
        topic: 'drugs',
        messages: [{ text: 'Phần 1 CD-TWO: ma túy đá trá hình.' }, { text: 'Phần 2 CD-TWO: báo ngay 113.' }],
        audience: { wards: ['q3-p11'], residents: true, groups: false, ownGroupsOf: null },
        schedule: { kind: 'once', at: now },
      });
      const fired = await Promise.all([app.scheduler.tick(), second.scheduler.tick(), app.scheduler.tick()]);
      expect(fired.flat()).toEqual(['CD-TWO:2026-12-02T03:00:00.000Z']);
      await Promise.all([app.dispatcher.drainDue(), second.dispatcher.drainDue()]);
      for (const id of ids) {
        expect({ id, first: received(id, 'Phần 1 CD-TWO'), second: received(id, 'Phần 2 CD-TWO') }).toEqual({ id, first: 1, second: 1 });
      }
    } finally {
      await second.stop();
    }
  });

  it('holds a paused campaign where it is, resumes it without repeating anyone, and stops a cancelled one', async () => {
    const ids = await seedTelegramSubscribers(app.database.models, 6600, 3, 'q3-p14', ['fire_safety']);
    now = new Date('2026-12-03T03:00:00Z');
    await seedCampaign(app.database.models, 'CD-PAUSE', { topic: 'fire_safety', audience: { wards: ['q3-p14'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: now } });
    await app.scheduler.tick();
    const admin = new TelegramUser(telegram, ADMIN, 'Trưởng CA');
    admin.text('/chiendich CD-PAUSE tamdung');
    await said(ADMIN, 'Đã tạm dừng chiến dịch CD-PAUSE');
    await app.dispatcher.drainDue();
    expect(ids.map((id) => received(id, 'Cảnh báo CD-PAUSE'))).toEqual([0, 0, 0]);
    admin.text('/chiendich CD-PAUSE tieptuc');
    await said(ADMIN, 'Chiến dịch CD-PAUSE chạy tiếp');
    await app.dispatcher.drainDue();
    await app.dispatcher.drainDue();
    expect(ids.map((id) => received(id, 'Cảnh báo CD-PAUSE'))).toEqual([1, 1, 1]);

    await seedTelegramSubscribers(app.database.models, 6700, 2, 'q3-p14', ['theft']);
    await seedCampaign(app.database.models, 'CD-STOP', { topic: 'theft', audience: { wards: ['q3-p14'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: now } });
    await app.scheduler.tick();
    admin.text('/chiendich CD-STOP huy');
    await said(ADMIN, 'Đã hủy chiến dịch CD-STOP');
    await app.dispatcher.drainDue();
    expect(received(6700, 'Cảnh báo CD-STOP') + received(6701, 'Cảnh báo CD-STOP')).toBe(0);
    expect((await app.database.models.campaignRuns.findOne({ campaignId: 'CD-STOP' }).lean())?.status).toBe('done');
  });

  it('unregisters a group when the bot is removed from it', async () => {
    expect(await app.database.models.broadcastGroups.countDocuments({})).toBe(1);
    telegram.pushUpdate({
      my_chat_member: {
        chat: { id: GROUP, type: 'group', title: 'Tổ 5' },
        from: { id: 6201, is_bot: false, first_name: 'Tổ trưởng' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: { id: 123456, is_bot: true, first_name: 'bot' } },
        new_chat_member: { status: 'left', user: { id: 123456, is_bot: true, first_name: 'bot' } },
      },
    });
    await eventually('group unregistered', async () => (await app.database.models.broadcastGroups.countDocuments({})) === 0);
  });

  it('edits a campaign in the chat, keeping what the author does not change, and refuses while a run is being sent', async () => {
    const ids = await seedTelegramSubscribers(app.database.models, 6800, 2, 'q3-p5', ['fire_safety']);
    const at = new Date(now.getTime() + 3_600_000);
    await seedCampaign(app.database.models, 'CD-EDIT', { topic: 'fire_safety', authorId: String(ADMIN), audience: { wards: ['q3-p5'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at } });
    const admin = new TelegramUser(telegram, ADMIN, 'Trưởng CA');
    await adminStep(() => admin.text('/chiendich cd-edit sua'), 'Chủ đề của chiến dịch');
    expect(telegram.textsTo(ADMIN).some((t) => t.includes('Sửa chiến dịch CD-EDIT'))).toBe(true);
    await adminStep(() => admin.press('Phòng cháy chữa cháy'), 'Nội dung hiện tại: «Cảnh báo CD-EDIT');
    await adminStep(() => admin.press('✔️ Giữ nguyên'), 'Đã có 1 tin');
    await adminStep(() => admin.press('➕ Thêm tin'), 'Nhập nội dung tin 2');
    await adminStep(() => admin.text('Kiểm tra bình chữa cháy và ổ điện trước khi đi ngủ, nhất là nhà trọ nhiều phòng.'), 'Đã có 2 tin');
    await adminStep(() => admin.press('➡️ Tiếp tục'), 'Gửi đến phường nào');
    await adminStep(() => admin.press('✔️ Giữ nguyên: Phường 5'), 'Gửi cho ai');
    await adminStep(() => admin.press('Chỉ người đăng ký'), 'Khi nào gửi');
    await adminStep(() => admin.press(`✔️ Giữ nguyên: Gửi một lần lúc ${formatVietnamTime(at, 'vi')}`), 'Giờ yên lặng');
    await adminStep(() => admin.press('Không có giờ yên lặng'), 'Sửa chiến dịch CD-EDIT');
    await adminStep(() => admin.press('💾 Lưu thay đổi'), 'Đã lưu chiến dịch CD-EDIT');

    const saved = await app.database.models.campaigns.findOne({ _id: 'CD-EDIT' }).lean();
    expect(saved?.messages.map((m) => m.text)).toEqual(['Cảnh báo CD-EDIT: không chuyển tiền cho người lạ tự xưng công an.', 'Kiểm tra bình chữa cháy và ổ điện trước khi đi ngủ, nhất là nhà trọ nhiều phòng.']);
    expect(new Date((saved?.schedule as { at: Date }).at)).toEqual(at);
    expect(saved?.audience.wards).toEqual(['q3-p5']);

    // Its run carries both messages to each subscriber once; while it is being sent it cannot be edited.
    now = at;
    await app.scheduler.tick();
    await adminStep(() => admin.text('/chiendich CD-EDIT sua'), 'đang được gửi');
    await app.dispatcher.drainDue();
    expect(ids.map((id) => received(id, 'Kiểm tra bình chữa cháy'))).toEqual([1, 1]);
    expect(ids.map((id) => received(id, 'Cảnh báo CD-EDIT'))).toEqual([1, 1]);
    await adminStep(() => admin.text('/chiendich CD-EDIT sua'), 'đã kết thúc hoặc đã hủy, không sửa được');
  });
  it('sends a message with a picture as one photo captioned with its text, by the author’s own file_id, to every recipient', async () => {
    const ids = await seedTelegramSubscribers(app.database.models, 6900, 3, 'q3-p1', ['theft']);
    now = new Date('2026-12-05T03:00:00Z'); // 10:00 in Vietnam
    const caption = 'Cảnh báo trộm xe: khóa cổ xe và khóa đĩa khi để xe qua đêm trong hẻm.';
    const second = 'Trộm đột nhập nhà trọ dịp cuối năm: lắp khóa chống cắt và báo ngay cho công an phường.';
    const third = 'Số điện thoại trực ban Công an Phường 1 luôn mở cả ngày lẫn đêm.';
    telegram.addFile('theft-photo', JPEG_BYTES('theft'));
    telegram.addFile('lock-photo', JPEG_BYTES('lock'));
    telegram.addFile('not-a-png', Buffer.from('a text file calling itself a PNG'));
    const admin = new TelegramUser(telegram, ADMIN, 'Trưởng CA');

    await adminStep(() => admin.text('/chiendich'), 'Chủ đề của chiến dịch');
    await adminStep(() => admin.press('Trộm cắp'), 'Nhập nội dung tin 1');
    // Only a JPG or PNG picture of at most 1 MB, whose bytes are one, goes with a message.
    await adminStep(() => admin.sticker(), 'chỉ kèm được ảnh JPG hoặc PNG');
    await adminStep(() => admin.document('not-a-png', 'image/png', 'poster.png', 32, caption), 'chỉ kèm được ảnh JPG hoặc PNG');
    await adminStep(() => admin.photo('huge-photo', 2 * 1024 * 1024, caption), 'Ảnh quá lớn: tối đa 1 MB');
    // A photo with its text as the caption is one message.
    await adminStep(() => admin.photo('theft-photo', 20, caption), 'Đã có 1 tin');
    // A photo first, then its text typed.
    await adminStep(() => admin.press('➕ Thêm tin'), 'Nhập nội dung tin 2');
    await adminStep(() => admin.photo('lock-photo', 20), 'Đã nhận ảnh');
    await adminStep(() => admin.text(second), 'Đã có 2 tin');
    // And a text alone.
    await adminStep(() => admin.press('➕ Thêm tin'), 'Nhập nội dung tin 3');
    await adminStep(() => admin.text(third), 'Đã có 3 tin');
    await adminStep(() => admin.press('➡️ Tiếp tục'), 'Gửi đến phường nào');
    await adminStep(() => admin.text('Phường 1'), 'Gửi cho ai');
    await adminStep(() => admin.press('Chỉ người đăng ký'), 'Khi nào gửi');
    await adminStep(() => admin.text('05/12/2026 10:30'), 'Giờ yên lặng');
    await adminStep(() => admin.press('Không có giờ yên lặng'), 'Số tin: 3 (2 tin có ảnh)');

    // The preview is each message exactly as recipients get it: the pictures with their captions, then the text.
    await eventually('preview pictures', () => telegram.photosTo(ADMIN).length === 2);
    expect(telegram.photosTo(ADMIN)).toEqual([
      { fileId: 'theft-photo', caption },
      { fileId: 'lock-photo', caption: second },
    ]);
    expect(received(ADMIN, third)).toBe(1);
    await adminStep(() => admin.press('🚀 Kích hoạt'), 'Đã kích hoạt chiến dịch');

    now = new Date('2026-12-05T03:30:00Z');
    await app.scheduler.tick();
    await app.dispatcher.drainDue();
    for (const id of ids) {
      // One photo call per picture message, by the author's file_id: nothing uploaded, the caption never sent apart.
      expect({ id, photos: telegram.photosTo(id) }).toEqual({ id, photos: [{ fileId: 'theft-photo', caption }, { fileId: 'lock-photo', caption: second }] });
      expect({ id, texts: telegram.textsTo(id) }).toEqual({ id, texts: [third] });
    }
    const campaign = await app.database.models.campaigns.findOne({ topic: 'theft', 'audience.wards': 'q3-p1' }).lean();
    expect(campaign?.messages.map((m) => ({ text: m.text, fileId: m.image?.platform?.fileId ?? null, mime: m.image?.mime ?? null }))).toEqual([
      { text: caption, fileId: 'theft-photo', mime: 'image/jpeg' },
      { text: second, fileId: 'lock-photo', mime: 'image/jpeg' },
      { text: third, fileId: null, mime: null },
    ]);
  });

  it('uploads a picture with no usable file_id once for the whole run, and sends every other copy by the file_id Telegram gave it', async () => {
    // One picture came as a PNG file (Telegram sends photos only by a photo's file_id); the other's file_id was made under an older bot token.
    const poster = await seedPicture(app.database.models, PNG_BYTES('poster'), 'image/png');
    const old = await seedPicture(app.database.models, JPEG_BYTES('old token'), 'image/jpeg', 'old-token-photo');
    telegram.staleFileIds.add('old-token-photo');
    const ids = await seedTelegramSubscribers(app.database.models, 7100, 4, 'q3-p2', ['drugs']);
    now = new Date('2026-12-06T03:00:00Z');
    await seedCampaign(app.database.models, 'CD-PIC', {
      topic: 'drugs',
      messages: [
        { text: 'Áp phích CD-PIC: nói không với ma túy.', image: poster },
        { text: 'Ảnh CD-PIC: ma túy trá hình kẹo, trà sữa.', image: old },
      ],
      audience: { wards: ['q3-p2'], residents: true, groups: false, ownGroupsOf: null },
      schedule: { kind: 'once', at: now },
    });
    await app.scheduler.tick();
    await app.dispatcher.drainDue();

    const photos = ids.map((id) => telegram.photosTo(id));
    expect(photos.every((p) => p.length === 2)).toBe(true);
    expect(photos.map((p) => p.map((x) => x.caption))).toEqual(ids.map(() => ['Áp phích CD-PIC: nói không với ma túy.', 'Ảnh CD-PIC: ma túy trá hình kẹo, trà sữa.']));
    for (const part of [0, 1]) {
      const uploads = photos.filter((p) => p[part].fileId === null).length;
      const byId = new Set(photos.filter((p) => p[part].fileId !== null).map((p) => p[part].fileId));
      expect({ part, uploads, byId: [...byId].map((f) => /^uploaded-\d+$/.test(f ?? '')) }).toEqual({ part, uploads: 1, byId: [true] });
    }
    expect((await app.database.models.broadcastOutcomes.find({ campaignId: 'CD-PIC' }).lean()).map((o) => o.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });
  it('edits a campaign with pictures: a kept message keeps its picture, a replaced picture’s file is deleted', async () => {
    const replaced = await seedPicture(app.database.models, JPEG_BYTES('old poster'), 'image/jpeg', 'old-poster');
    const kept = await seedPicture(app.database.models, JPEG_BYTES('kept poster'), 'image/jpeg', 'kept-poster');
    const at = new Date(now.getTime() + 3_600_000);
    await seedCampaign(app.database.models, 'CD-EDITPIC', {
      authorId: String(ADMIN),
      messages: [
        { text: 'Ảnh cũ CD-EDITPIC: cảnh giác cuộc gọi giả danh.', image: replaced },
        { text: 'Ảnh giữ CD-EDITPIC: không chuyển tiền cho người lạ.', image: kept },
      ],
      audience: { wards: ['q3-p3'], residents: true, groups: false, ownGroupsOf: null },
      schedule: { kind: 'once', at },
    });
    telegram.addFile('new-poster', JPEG_BYTES('new poster'));
    const admin = new TelegramUser(telegram, ADMIN, 'Trưởng CA');
    await adminStep(() => admin.text('/chiendich CD-EDITPIC sua'), 'Chủ đề của chiến dịch');
    await adminStep(() => admin.press('Lừa đảo qua mạng'), 'Tin này có kèm ảnh');
    await adminStep(() => admin.photo('new-poster', 20, 'Ảnh mới CD-EDITPIC: công an không gọi điện đòi tiền.'), 'Đã có 1 tin');
    await adminStep(() => admin.press('➕ Thêm tin'), 'Tin này có kèm ảnh');
    await adminStep(() => admin.press('✔️ Giữ nguyên'), 'Đã có 2 tin');
    await adminStep(() => admin.press('➡️ Tiếp tục'), 'Gửi đến phường nào');
    await adminStep(() => admin.press('✔️ Giữ nguyên: Phường 3'), 'Gửi cho ai');
    await adminStep(() => admin.press('Chỉ người đăng ký'), 'Khi nào gửi');
    await adminStep(() => admin.press(`✔️ Giữ nguyên: Gửi một lần lúc ${formatVietnamTime(at, 'vi')}`), 'Giờ yên lặng');
    await adminStep(() => admin.press('Không có giờ yên lặng'), 'Số tin: 2 (2 tin có ảnh)');
    await adminStep(() => admin.press('💾 Lưu thay đổi'), 'Đã lưu chiến dịch CD-EDITPIC');

    const saved = await app.database.models.campaigns.findOne({ _id: 'CD-EDITPIC' }).lean();
    expect(saved?.messages.map((m) => [m.text, m.image?.platform?.fileId])).toEqual([
      ['Ảnh mới CD-EDITPIC: công an không gọi điện đòi tiền.', 'new-poster'],
      ['Ảnh giữ CD-EDITPIC: không chuyển tiền cho người lạ.', 'kept-poster'],
    ]);
    const file = async (id: string) => (await app.database.models.files.countDocuments({ _id: id })) === 1;
    expect({ replaced: await file(replaced.id), kept: await file(kept.id), added: await file(saved?.messages[0].image?.id ?? '') }).toEqual({ replaced: false, kept: true, added: true });
  });
  it('skips the fire times a recurring campaign missed while paused, and sends a one-off paused past its time once resumed', async () => {
    const [resident] = await seedTelegramSubscribers(app.database.models, 7200, 1, 'q3-p9', ['loan_sharks']);
    const audience = { wards: ['q3-p9'], residents: true, groups: false, ownGroupsOf: null };
    now = new Date('2026-12-13T12:00:00Z'); // Sunday 19:00 in Vietnam
    await seedCampaign(app.database.models, 'CD-LOANS', { topic: 'loan_sharks', audience, schedule: { kind: 'cron', expression: '0 8 * * 1', until: new Date('2027-01-31T16:59:59Z') }, scheduledThrough: now });
    await seedCampaign(app.database.models, 'CD-LOAN1', { topic: 'loan_sharks', audience, schedule: { kind: 'once', at: new Date('2026-12-14T03:00:00Z') } });
    const loanRuns = async () => (await app.scheduler.tick()).filter((run) => run.startsWith('CD-LOAN'));
    const admin = new TelegramUser(telegram, ADMIN, 'Trưởng CA');
    await adminStep(() => admin.text('/chiendich CD-LOANS tamdung'), 'Đã tạm dừng chiến dịch CD-LOANS');
    await adminStep(() => admin.text('/chiendich CD-LOAN1 tamdung'), 'Đã tạm dừng chiến dịch CD-LOAN1');
    // Monday 08:00 (the weekly one) and 10:00 (the one-off) pass while both are paused.
    for (const at of ['2026-12-14T01:00:00Z', '2026-12-14T03:00:00Z', '2026-12-16T03:00:00Z']) {
      now = new Date(at);
      expect(await loanRuns()).toEqual([]);
    }
    await adminStep(() => admin.text('/chiendich CD-LOANS tieptuc'), 'Chiến dịch CD-LOANS chạy tiếp');
    await adminStep(() => admin.text('/chiendich CD-LOAN1 tieptuc'), 'Chiến dịch CD-LOAN1 chạy tiếp');
    now = new Date('2026-12-16T03:01:00Z');
    expect(await loanRuns()).toEqual(['CD-LOAN1:2026-12-14T03:00:00.000Z']);
    now = new Date('2026-12-21T01:00:00Z'); // the next Monday, 08:00
    expect(await loanRuns()).toEqual(['CD-LOANS:2026-12-21T01:00:00.000Z']);
    await app.dispatcher.drainDue();
    expect([received(resident, 'Cảnh báo CD-LOAN1'), received(resident, 'Cảnh báo CD-LOANS')]).toEqual([1, 1]);
  });
});
