import ExcelJS from 'exceljs';
import { loadImage } from '@napi-rs/canvas';
import { startApp, type RunningApp } from '../../src/app';
import { CHART } from '../../src/conversation/presenters/stats/stats-chart';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { parseCsv } from '../support/csv';
import { fileTelegramTip } from '../support/file-tip';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';
import { deskPayload } from '../../src/core/payloads';

const P4_DESK = -5004;
const SYSTEM_ADMIN = 7700;

describe('/thongke in the chat: an officer’s period figures with CSV, Excel and a chart', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('stats_e2e', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ADMIN_TELEGRAM_IDS: String(SYSTEM_ADMIN) }));
    new TelegramUser(telegram, 9504, 'Cán bộ', P4_DESK).text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    await eventually('desk registered', () => telegram.textsTo(P4_DESK).some((t) => t.includes('/thongke')));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  it('counts a tip filed and triaged in the chat, and sends the summary, CSV, .xlsx and chart to the desk, audited', async () => {
    const code = await fileTelegramTip(telegram, new TelegramUser(telegram, 5151, 'Hà'), { category: 'Ma túy', description: 'Có người bán ma túy ở quán nước đầu hẻm 12 mỗi tối.', ward: 'Phường 4' });
    const report = await app.reports.byCode(code);
    if (!report) throw new Error('tip not stored');
    await eventually('card delivered', () => telegram.textsTo(P4_DESK).some((t) => t.includes(code)));
    const officer = new TelegramUser(telegram, 9505, 'Tuấn', P4_DESK);
    officer.pressData(deskPayload(report._id, 'accept'));
    await eventually('accepted', async () => (await app.database.models.reports.findOne({ _id: report._id }).lean())?.status === 'accepted');
    officer.pressData(deskPayload(report._id, 'valuable'));
    await eventually('assessed', async () => (await app.database.models.reports.findOne({ _id: report._id }).lean())?.assessedAt);

    officer.text('/thongke');
    await eventually('chart sent', () => telegram.callsOf('sendPhoto', P4_DESK).length === 1);
    const summary = telegram.textsTo(P4_DESK).find((t) => t.startsWith('📊 Thống kê Công an Phường 4')) ?? '';
    expect(summary).toContain('Kỳ: tháng này');
    expect(summary).toContain('Tin báo: 1 (có giá trị 1 · không có giá trị 0 · chưa đánh giá 0)');
    expect(summary).toContain('• Tệ nạn xã hội 1');
    expect(summary).toContain('Chờ tiếp nhận 0 · đang xử lý 1 · đã kết thúc 0');
    expect(summary).toContain('Kênh: Telegram 1');

    const [csvCall, xlsxCall] = telegram.callsOf('sendDocument', P4_DESK);
    expect(csvCall.uploads).toEqual(['document']);
    const rows = parseCsv(csvCall.files.document.toString('utf8').slice(1));
    const categories = rows.slice(rows.findIndex((r) => r[0] === 'Tin báo theo loại'));
    expect(categories).toContainEqual(['Ma túy', 'Tệ nạn xã hội', '1']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsxCall.files.document as unknown as ArrayBuffer);
    expect(book.getWorksheet('3. Đánh giá tin báo')?.getRow(2).values).toEqual([undefined, 'Có giá trị', 1]);
    const image = await loadImage(telegram.callsOf('sendPhoto', P4_DESK)[0].files.photo);
    expect([image.width, image.height]).toEqual([CHART.width, CHART.height]);

    const audit = await app.database.models.auditLog.findOne({ action: 'export_stats' }).lean();
    expect(audit).toMatchObject({ unitId: 'cap-p4', actor: { channel: 'telegram', userId: '9505', name: 'Tuấn' } });
    expect(JSON.stringify(audit)).not.toContain('5151');
  });

  it('refuses residents, and gives a system admin every unit or one by id', async () => {
    const resident = new TelegramUser(telegram, 5252, 'Bình');
    resident.text('/thongke');
    await eventually('resident refused', () => telegram.textsTo(resident.id).some((t) => t.includes('Thống kê dành cho cán bộ')));
    resident.text('/thongke cap-p4');
    await eventually('resident refused again', () => telegram.textsTo(resident.id).filter((t) => t.includes('Thống kê dành cho cán bộ')).length === 2);

    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Quản trị');
    admin.text('/thongke tatca nam nay');
    await eventually('all units', () => telegram.textsTo(SYSTEM_ADMIN).some((t) => t.startsWith('📊 Thống kê tất cả đơn vị') && t.includes('Kỳ: năm nay')));
    admin.text('/thongke cap-p9');
    await eventually('one unit', () => telegram.textsTo(SYSTEM_ADMIN).some((t) => t.startsWith('📊 Thống kê Công an Phường 9') && t.includes('Tin báo: 0')));
    admin.text('/stats 30/06/2026');
    await eventually('usage', () => telegram.textsTo(SYSTEM_ADMIN).some((t) => t.startsWith('Cú pháp: /thongke')));
  });
});
