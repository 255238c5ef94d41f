import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { TelegramUser } from '../support/telegram-user';
import { fileTelegramTip } from '../support/file-tip';
import { eventually, testEnv } from '../support/test-env';
import { deskPayload } from '../../src/core/payloads';

const DESK = -2004;
const HOUR = 3_600_000;

describe('deadlines and reminders, with two service instances', () => {
  let telegram: FakeTelegramServer;
  let first: RunningApp;
  let second: RunningApp;
  let now: Date;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    now = new Date('2026-11-23T02:00:00Z');
    const env = testEnv('deadlines', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot });
    first = await startApp(env, { clock: () => now });
    // A second instance on the same database; only one may poll Telegram.
    second = await startApp({ ...env, TELEGRAM_POLLING: false }, { clock: () => now });
    const officer = new TelegramUser(telegram, 7001, 'Trực ban', DESK);
    officer.text(`/trucban ${first.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    await eventually('desk registered', () => telegram.textsTo(DESK).some((t) => t.includes('bàn trực ban')));
  });

  afterAll(async () => {
    await second.stop();
    await first.stop();
    await telegram.stop();
  });

  async function fileTip(user: TelegramUser): Promise<string> {
    const code = await fileTelegramTip(telegram, user, { category: 'Tín dụng đen', description: 'Nhóm cho vay nặng lãi đến đập phá nhà dân.', ward: 'phuong 4' });
    await eventually('card at the desk', () => telegram.textsTo(DESK).some((t) => t.includes(code)));
    return code;
  }

  const remindersAbout = (code: string, needle: string) => telegram.textsTo(DESK).filter((t) => t.includes(code) && t.includes(needle));
  /**
   * The reminder arrives, and only once. Waited for, because the instances' own every-ten-minutes job may win the
   * claim: then the explicit calls return at once while its send is still on the way.
   */
  const remindedOnce = async (code: string, needle: string) => {
    await eventually(`reminder “${needle}” for ${code}`, () => remindersAbout(code, needle).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(remindersAbout(code, needle)).toHaveLength(1);
  };

  it('reminds the desk once before and once after the acceptance deadline, even with two instances running the job', async () => {
    const code = await fileTip(new TelegramUser(telegram, 6101, 'Khánh'));

    now = new Date(now.getTime() + 23 * HOUR);
    await Promise.all([first.deadlines.remind(now), second.deadlines.remind(now), first.deadlines.remind(now)]);
    await remindedOnce(code, 'để tiếp nhận');

    now = new Date(now.getTime() + 2 * HOUR);
    await Promise.all([first.deadlines.remind(now), second.deadlines.remind(now)]);
    await remindedOnce(code, 'quá hạn tiếp nhận');
    const reminder = telegram.callsOf('sendMessage', DESK).find((c) => String(c.params.text).includes('quá hạn tiếp nhận'));
    expect(reminder?.params.reply_parameters).toBeDefined();

    const officer = new TelegramUser(telegram, 7002, 'Quang', DESK);
    officer.text('/quahan');
    await eventually('overdue list', () => telegram.textsTo(DESK).some((t) => t.includes('sắp hoặc đã quá hạn') && t.includes(code)));
  });

  it('extends the outcome deadline with a reason, on record, and stops reminding until the new one nears', async () => {
    const code = await fileTip(new TelegramUser(telegram, 6102, 'Vy'));
    const report = await first.database.models.reports.findOne({ code }).lean();
    const officer = new TelegramUser(telegram, 7003, 'Sơn', DESK);
    officer.pressData(deskPayload(report?._id ?? '', 'accept'));
    await eventually('accepted', async () => (await first.database.models.reports.findOne({ code }).lean())?.status === 'accepted');

    now = new Date(now.getTime() + 19 * 24 * HOUR);
    await first.deadlines.remind(now);
    await remindedOnce(code, 'để có kết quả xử lý');

    officer.text(`/giahan ${code} 10 Chờ kết quả giám định tài liệu`);
    await eventually('extended', () => telegram.textsTo(DESK).some((t) => t.includes('Đã gia hạn')));
    const extended = await first.database.models.reports.findOne({ code }).lean();
    expect(extended?.deadlines.outcomeDueAt.getTime()).toBe((report?.deadlines.outcomeDueAt.getTime() ?? 0) + 10 * 24 * HOUR);
    expect(extended?.deadlines.extensions).toEqual([expect.objectContaining({ days: 10, reason: 'Chờ kết quả giám định tài liệu', by: 'Sơn' })]);
    expect(await first.database.models.auditLog.countDocuments({ reportId: report?._id, action: 'extend_deadline' })).toBe(1);

    now = new Date(now.getTime() + 2 * 24 * HOUR);
    await first.deadlines.remind(now);
    expect(remindersAbout(code, 'quá hạn xử lý')).toHaveLength(0);

    officer.text(`/giahan ${code} mười ngày`);
    await eventually('usage shown', () => telegram.textsTo(DESK).some((t) => t.includes('Cú pháp: /giahan')));
  });

  it('escalates a tip left unaccepted past its deadline to the district duty desk, once, and the ward desk’s reminder says so', async () => {
    const DUTY = -2999;
    new TelegramUser(telegram, 7099, 'Trực ban quận', DUTY).text(`/trucban ${first.unitInviteCodes.find((u) => u.unitId === 'q3-duty')?.code}`);
    await eventually('duty desk registered', () => telegram.textsTo(DUTY).some((t) => t.includes('bàn trực ban')));
    const code = await fileTip(new TelegramUser(telegram, 6103, 'Bảo'));
    expect(telegram.textsTo(DUTY).some((t) => t.includes(code))).toBe(false);

    now = new Date(now.getTime() + 25 * HOUR);
    await Promise.all([first.deadlines.remind(now), second.deadlines.remind(now)]);
    await remindedOnce(code, 'quá hạn tiếp nhận');
    expect(remindersAbout(code, 'quá hạn tiếp nhận')[0]).toContain('Đã chuyển thẻ tin lên Trực ban Công an Quận 3');

    const escalated = await eventually('card at the duty desk', () => telegram.callsOf('sendMessage', DUTY).find((c) => String(c.params.text).includes(code)));
    expect(String(escalated.params.text)).toContain('CHUYỂN LÊN: Công an Phường 4 chưa tiếp nhận tin này khi hết hạn');
    expect(JSON.stringify(escalated.params.reply_markup ?? {})).not.toContain('Tiếp nhận');
    // Once: later runs, on either instance, send it no more.
    now = new Date(now.getTime() + HOUR);
    await Promise.all([first.deadlines.remind(now), second.deadlines.remind(now)]);
    await Promise.all([first.deliveries.runRound(), second.deliveries.runRound()]);
    expect(telegram.textsTo(DUTY).filter((t) => t.includes(code))).toHaveLength(1);
  });
});
