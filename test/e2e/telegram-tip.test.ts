import { createHash } from 'node:crypto';
import { startApp, type RunningApp } from '../../src/app';
import type { Env } from '../../src/config/env';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { TelegramUser } from '../support/telegram-user';
import { TEST_INVITE_CODE, eventually, testEnv } from '../support/test-env';
import { PHOTO_WITH_EXIF } from '../support/seed-audience';

const DESK_CHAT = -100777;

describe('a resident reports a tip on Telegram (long polling)', () => {
  let telegram: FakeTelegramServer;
  let env: Env;
  let app: RunningApp;

  beforeEach(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    env = testEnv('tg_tip', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot });
    app = await startApp(env);
  });

  afterEach(async () => {
    await app.stop();
    await telegram.stop();
  });

  /** Sends an update and waits until the bot has answered it with n more messages. */
  async function step(user: TelegramUser, act: () => number, expectedReplies = 1): Promise<string[]> {
    const before = telegram.textsTo(user.id).length;
    act();
    return eventually(`reply to chat ${user.id}`, () => {
      const texts = telegram.textsTo(user.id);
      return texts.length >= before + expectedReplies ? texts.slice(before) : undefined;
    });
  }

  /** Registers DESK_CHAT as the desk of a unit (by default the fallback unit, with the master code). */
  async function registerDesk(unitId?: string): Promise<void> {
    const officer = new TelegramUser(telegram, DESK_CHAT, 'Trực ban');
    const code = unitId ? app.unitInviteCodes.find((u) => u.unitId === unitId)?.code : TEST_INVITE_CODE;
    const replies = await step(officer, () => officer.text(`/trucban ${code}`));
    expect(replies[0]).toContain('bàn trực ban');
  }

  it('walks from /start to a receipt, stores the tip and delivers it to the desk with its evidence', async () => {
    await registerDesk('cap-p4');
    const lan = new TelegramUser(telegram, 4242, 'Lan');
    telegram.addFile('photo-1', PHOTO_WITH_EXIF);

    const greeting = await step(lan, () => lan.text('/start'), 2);
    expect(greeting[0]).toContain('113');
    expect(greeting[1]).toContain('dữ liệu cá nhân');
    expect(telegram.lastButtons(lan.id).map((b) => b.text)).toEqual(['✅ Tôi đồng ý', 'Không đồng ý']);

    await step(lan, () => lan.press('✅ Tôi đồng ý'), 2);
    await step(lan, () => lan.text('/baotin'), 2);
    await step(lan, () => lan.press('Ma túy'));
    await step(lan, () => lan.text('Có nhóm thanh niên tụ tập sử dụng ma túy mỗi tối trong hẻm.'));
    const when = await step(lan, () => lan.text('phuong 4'));
    expect(when[0]).toContain('Bước 4/7');
    await step(lan, () => lan.press('Đang diễn ra'));
    const received = await step(lan, () => lan.photo('photo-1', 15));
    expect(received[0]).toContain('1/10');
    await step(lan, () => lan.press('✅ Xong'));
    await step(lan, () => lan.text('Biển số 59X1-234.56, SĐT 0912 345 678'));
    await step(lan, () => lan.press('📞 Để lại số điện thoại'));
    const review = await step(lan, () => lan.contact('+84912000111'));
    expect(review[0]).toContain('Phường 4');
    expect(review[0]).toContain('0912000111');

    const receipt = await step(lan, () => lan.press('📨 Gửi tin báo'));
    const code = /TB-[2-9A-HJ-NP-Z]{6}/.exec(receipt[0])?.[0];
    expect(code).toBeDefined();

    const stored = await app.reports.byCode(code ?? '');
    expect(stored).toMatchObject({
      category: 'drugs',
      group: 'social_evils',
      description: 'Có nhóm thanh niên tụ tập sử dụng ma túy mỗi tối trong hẻm.',
      location: { kind: 'ward', wardId: 'q3-p4' },
      occurred: { kind: 'now' },
      anonymous: false,
      channel: 'telegram',
      unitIds: ['cap-p4', 'q3-drugs'],
      status: 'received',
    });
    expect(stored?.evidence).toHaveLength(1);
    // The desk's copy is the photo re-encoded without its metadata; the untouched original is kept apart, by its hash.
    expect(stored?.evidence[0]).toMatchObject({
      kind: 'photo',
      mime: 'image/jpeg',
      platform: null,
      fileName: 'evidence-1.jpg',
      original: { sha256: createHash('sha256').update(PHOTO_WITH_EXIF).digest('hex'), size: PHOTO_WITH_EXIF.length, mime: 'image/jpeg' },
    });
    expect(stored?.suspects.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'plate', value: '59X1-234.56' },
        { type: 'phone', value: '0912345678' },
      ]),
    );

    const card = await eventually('desk card', () => telegram.textsTo(DESK_CHAT).find((t) => t.includes(code ?? '?')));
    expect(card).toContain('Ma túy');
    expect(card).toContain('Phường 4');
    expect(card).toContain('0912000111');
    await eventually('evidence copied to the desk', () => telegram.callsOf('sendPhoto', DESK_CHAT).length === 1);
    // Uploaded, not forwarded by the resident's file_id (a file sent as a document keeps its metadata).
    const sent = telegram.callsOf('sendPhoto', DESK_CHAT)[0].files.photo;
    expect(sent).toBeDefined();
    for (const secret of ['PhoneMaker', 'Model X', 'Nguyen Van Chu']) {
      expect(PHOTO_WITH_EXIF.includes(secret)).toBe(true);
      expect(sent?.includes(secret)).toBe(false);
    }
    await eventually('delivery recorded', async () => {
      const report = await app.reports.byCode(code ?? '');
      return report && (await app.database.models.deskDeliveries.findOne({ reportId: report._id, status: 'sent' }).lean());
    });

    const status = await step(lan, () => lan.text(`/tracuu ${code?.toLowerCase()}`));
    expect(status[0]).toContain('Đã tiếp nhận');
    expect(status[0]).not.toContain('ma túy mỗi tối');
  });

  it('resumes the same step after the service restarts mid-conversation', async () => {
    const minh = new TelegramUser(telegram, 5151, 'Minh');
    await step(minh, () => minh.text('/baotin'), 2);
    await step(minh, () => minh.press('✅ Tôi đồng ý'), 3);
    await step(minh, () => minh.press('Lừa đảo (cả qua mạng)'));

    await app.stop();
    app = await startApp(env);

    const afterRestart = await step(minh, () => minh.text('Kẻ gian gọi điện giả danh công an đòi chuyển tiền.'));
    expect(afterRestart[0]).toContain('Bước 3/7');
  });

  it('keeps retrying a desk that is unreachable until the card gets through', async () => {
    await registerDesk();
    const an = new TelegramUser(telegram, 6161, 'Thuỷ Tiên');
    await step(an, () => an.text('/baotin'), 2);
    await step(an, () => an.press('✅ Tôi đồng ý'), 3);
    await step(an, () => an.press('Cờ bạc, lô đề'));
    await step(an, () => an.text('Sòng bạc hoạt động trong nhà số 12.'));
    await step(an, () => an.press('Không nhớ địa điểm'));
    await step(an, () => an.press('Không rõ'));
    await step(an, () => an.press('Không rõ'));
    await step(an, () => an.press('Bỏ qua'));
    await step(an, () => an.press('Bỏ qua'));
    await step(an, () => an.press('🕶 Gửi ẩn danh'));
    telegram.failCallsTo(DESK_CHAT, 2);
    const receipt = await step(an, () => an.press('📨 Gửi tin báo'));
    const code = /TB-\w{6}/.exec(receipt[0])?.[0] ?? '?';

    const delivery = await eventually(
      'delivered after failures',
      async () => {
        await app.deliveries.runRound();
        const report = await app.reports.byCode(code ?? '');
        const delivery = report && (await app.database.models.deskDeliveries.findOne({ reportId: report._id }).lean());
        return delivery?.status === 'sent' ? delivery : undefined;
      },
      30_000,
    );
    expect(delivery?.status).toBe('sent');
    expect(delivery?.attempts).toBe(3);
    expect(telegram.textsTo(DESK_CHAT).filter((t) => t.includes(code))).toHaveLength(1);

    // Anonymity: nothing that reaches the desk chat names or identifies the reporter.
    const deskBound = JSON.stringify(telegram.calls.filter((c) => String(c.params.chat_id) === String(DESK_CHAT)));
    expect(deskBound).toContain('Ẩn danh');
    expect(deskBound).not.toContain('6161');
    expect(deskBound).not.toContain('Thuỷ Tiên');
  });

  it('handles a batch of updates from one chat in the order they were sent', async () => {
    const hoa = new TelegramUser(telegram, 7171, 'Hoa');
    // All four arrive in one getUpdates batch, which telegraf handles concurrently.
    hoa.text('/baotin');
    hoa.pressData('g:consent:yes');
    hoa.pressData('s:category:gambling');
    hoa.text('Đánh bạc ăn tiền tại quán nước đầu hẻm 25.');
    await eventually('all four answered', () => telegram.textsTo(hoa.id).some((t) => t.includes('Bước 3/7')));
    const texts = telegram.textsTo(hoa.id);
    const order = ['dữ liệu cá nhân', 'Bước 1/7', 'Bước 2/7', 'Bước 3/7'].map((needle) => texts.findIndex((t) => t.includes(needle)));
    expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]))).toBe(true);
    expect(texts.join('\n')).not.toContain('không còn dùng được');
  });
});
