import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { TelegramUser } from '../support/telegram-user';
import { fileTelegramTip } from '../support/file-tip';
import { eventually, testEnv } from '../support/test-env';
import { deskPayload } from '../../src/core/payloads';

const FORUM = -3001;
const DRUGS_TOPIC = 77;

describe('a forum desk group with one topic per category', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('forum', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot }));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const inTopic = (needle: string) =>
    telegram.callsOf('sendMessage', FORUM).find((c) => String(c.params.text).includes(needle) && Number(c.params.message_thread_id) === DRUGS_TOPIC);

  it("posts a category's cards, the officer's prompts and the reporter's additions in that category's topic", async () => {
    const officer = new TelegramUser(telegram, 8801, 'Đội trưởng', FORUM);
    officer.text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'q3-drugs')?.code}`);
    await eventually('registered', () => telegram.textsTo(FORUM).some((t) => t.includes('bàn trực ban')));
    officer.text('/chude drugs');
    await eventually('told to use a topic', () => telegram.textsTo(FORUM).some((t) => t.includes('bên trong chủ đề')));
    officer.text('/chude ma tuy', DRUGS_TOPIC);
    await eventually('topic bound, answered in the topic', () => inTopic('sẽ được chuyển vào chủ đề này'));

    const resident = new TelegramUser(telegram, 8802, 'Bình');
    await fileTelegramTip(telegram, resident, { category: 'Ma túy', description: 'Nhóm thanh niên bán ma túy ở công viên.', ward: null, occurred: 'Đang diễn ra' });
    const report = await app.database.models.reports.findOne({ category: 'drugs' }).lean();
    if (!report) throw new Error('not stored');

    await eventually('card in the drugs topic', () => inTopic(`TIN BÁO MỚI ${report.code}`));

    officer.pressData(deskPayload(report._id, 'accept'), DRUGS_TOPIC);
    await eventually('accepted', async () => (await app.database.models.reports.findOne({ _id: report._id }).lean())?.status === 'accepted');
    officer.pressData(deskPayload(report._id, 'reply'), DRUGS_TOPIC);
    await eventually('prompt in the topic', () => inTopic(`Người báo tin #${report.code}`));
    officer.text('Cảm ơn, đội đang xác minh.', DRUGS_TOPIC);
    await eventually('relayed', () => telegram.textsTo(resident.id).some((t) => t.includes('đội đang xác minh')));

    resident.text(`/bosung ${report.code} Tối nay họ lại tụ tập.`);
    await eventually('addition in the topic', () => inTopic('Tối nay họ lại tụ tập'));
  });
});
