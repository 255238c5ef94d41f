import ExcelJS from 'exceljs';
import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { fileTelegramDispute, type DisputeAnswers } from '../support/file-dispute';
import { TelegramUser } from '../support/telegram-user';
import { parseCsv } from '../support/csv';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { TEST_KEY, eventually, testEnv } from '../support/test-env';
import { deskPayload } from '../../src/core/payloads';

const HG_P4_DESK = -3004;
const HG_P9_DESK = -3009;
const POLICE_P4_DESK = -3104;
const HOUR = 3_600_000;

const noise: DisputeAnswers = {
  kind: 'Tiếng ồn',
  description: 'Nhà bên cạnh hát karaoke đến 1 giờ sáng gần như mỗi đêm.',
  otherParty: 'Ông Trần Văn Bình, hàng xóm nhà số 10',
  ward: 'phuong 4',
  address: '12 Nguyễn Thị Minh Khai, tổ 5',
  phone: '0912345678',
  nameAndYear: 'Lê Thị Hoa, 1980',
  desired: 'Tắt nhạc sau 22 giờ',
};

describe('disputes and grassroots mediation', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;
  let now: Date;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    now = new Date('2026-11-05T03:00:00Z');
    app = await startApp(testEnv('mediation', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot }), { clock: () => now });
    for (const [chat, unit] of [[HG_P4_DESK, 'hg-p4'], [HG_P9_DESK, 'hg-p9'], [POLICE_P4_DESK, 'cap-p4']] as const) {
      new TelegramUser(telegram, 8000 + Math.abs(chat), 'Trực', chat).text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === unit)?.code}`);
      await eventually(`desk ${chat} registered`, () => telegram.textsTo(chat).some((t) => t.includes(unit.startsWith('hg') ? 'Tổ hòa giải' : 'Công an')));
    }
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const said = (chat: number, needle: string) => eventually(`“${needle}” said to ${chat}`, () => telegram.textsTo(chat).some((t) => t.includes(needle)));
  const cardEdits = (chat: number, code: string) => telegram.callsOf('editMessageText', chat).map((c) => String(c.params.text)).filter((t) => t.includes(code));

  it('takes a dispute to the ward’s mediation team and runs assign → schedule → settled → closed, telling the requester each step', async () => {
    const resident = new TelegramUser(telegram, 4141, 'Hoa');
    const code = await fileTelegramDispute(telegram, resident, noise);
    const stored = await app.reports.byCode(code);
    if (!stored) throw new Error('dispute not stored');
    expect(stored).toMatchObject({ kind: 'dispute', category: 'noise', unitIds: ['hg-p4'], anonymous: false, status: 'received' });
    // The parties' names and phone are encrypted at rest.
    expect(JSON.stringify(stored)).not.toContain('Lê Thị Hoa');
    expect(JSON.stringify(stored)).not.toContain('0912345678');

    await said(HG_P4_DESK, `YÊU CẦU HÒA GIẢI ${code}`);
    const card = telegram.textsTo(HG_P4_DESK).find((t) => t.includes(code)) ?? '';
    expect(card).toContain('Người yêu cầu: Lê Thị Hoa (sinh năm 1980) · SĐT 0912345678');
    expect(card).toContain('Bên kia: Ông Trần Văn Bình');
    expect(telegram.textsTo(POLICE_P4_DESK).join('\n')).not.toContain(code);
    expect(telegram.textsTo(HG_P9_DESK).join('\n')).not.toContain(code);

    // A mediator of another ward cannot act on it, even with a forged button.
    new TelegramUser(telegram, 8901, 'Lan', HG_P9_DESK).pressData(deskPayload(stored._id, 'm_assign'));
    await said(HG_P9_DESK, 'không thuộc phạm vi');

    const mediator = new TelegramUser(telegram, 8401, 'Tổ trưởng', HG_P4_DESK);
    mediator.pressData(deskPayload(stored._id, 'm_assign'));
    await said(HG_P4_DESK, `Nhập tên hòa giải viên cho ${code}`);
    mediator.text('Tran Van Binh');
    await said(HG_P4_DESK, 'Không thể phân công Trần Văn Bình: có xung đột lợi ích');
    mediator.text('nguyen thi hoa, Le Minh Tam');
    await said(HG_P4_DESK, `Đã phân công hòa giải viên cho ${code}`);
    await said(resident.id, `Yêu cầu hòa giải ${code} đã được Tổ hòa giải Phường 4 phân công hòa giải viên`);
    await eventually('card shows the mediators', () => cardEdits(HG_P4_DESK, code).some((t) => t.includes('Hòa giải viên: Nguyễn Thị Hòa, Lê Minh Tâm')));
    const assigned = await app.reports.byCode(code);
    expect(assigned?.deadlines.outcomeDueAt.getTime()).toBe(now.getTime() + 3 * 24 * HOUR);

    resident.text(`/bosung ${code} Tối qua nhà bên lại hát đến 2 giờ sáng.`);
    await said(HG_P4_DESK, 'Tối qua nhà bên lại hát đến 2 giờ sáng');

    // Mediation must start within 3 days of assignment: the desk is reminded before that, once.
    now = new Date(now.getTime() + 50 * HOUR);
    await app.deadlines.remind(now);
    await app.deadlines.remind(now);
    await said(HG_P4_DESK, `Hồ sơ hòa giải ${code} còn khoảng 22 giờ để bắt đầu hòa giải`);
    expect(telegram.textsTo(HG_P4_DESK).filter((t) => t.includes('để bắt đầu hòa giải'))).toHaveLength(1);

    mediator.pressData(deskPayload(stored._id, 'm_schedule'));
    await said(HG_P4_DESK, `Nhập ngày giờ và địa điểm buổi hòa giải ${code}`);
    mediator.text('01/11/2026 19:00, Nhà văn hóa khu phố 3');
    await said(HG_P4_DESK, 'Thời gian này đã qua');
    mediator.text('09/11/2026 19h30, Nhà văn hóa khu phố 3');
    await said(resident.id, `Buổi hòa giải ${code}`);
    const invitation = telegram.textsTo(resident.id).find((t) => t.includes(`Buổi hòa giải ${code}`)) ?? '';
    expect(invitation).toContain('09/11/2026');
    expect(invitation).toContain('19:30');
    expect(invitation).toContain('Nhà văn hóa khu phố 3');

    // No result before the session has taken place.
    mediator.pressData(deskPayload(stored._id, 'm_settled'));
    await said(HG_P4_DESK, 'Buổi hòa giải hẹn lúc 19:30 09/11/2026 chưa diễn ra');
    now = new Date('2026-11-09T14:00:00Z');
    mediator.pressData(deskPayload(stored._id, 'm_settled'));
    await said(HG_P4_DESK, `Tóm tắt thỏa thuận đạt được trong ${code}`);
    mediator.text('Ông Bình cam kết tắt nhạc trước 22 giờ, bà Hoa không khiếu nại tiếp.');
    await said(resident.id, `Hòa giải ${code} thành`);

    mediator.pressData(deskPayload(stored._id, 'm_close'));
    await said(resident.id, `Hồ sơ hòa giải ${code} đã đóng`);

    const closed = await app.reports.byCode(code);
    expect(closed?.statusHistory.map((h) => h.status)).toEqual(['received', 'assigned', 'scheduled', 'settled', 'closed']);
    expect(closed?.dispute).toMatchObject({ mediators: ['Nguyễn Thị Hòa', 'Lê Minh Tâm'], result: 'settled', agreement: expect.stringContaining('tắt nhạc trước 22 giờ') });
    await eventually('every step audited', async () => (await app.database.models.auditLog.countDocuments({ reportId: stored._id, action: 'mediation_close' })) === 1);
    const actions = (await app.database.models.auditLog.find({ reportId: stored._id }).sort({ at: 1 }).lean()).map((a) => a.action);
    expect(actions).toEqual(['refused_out_of_unit', 'mediation_assign', 'mediation_schedule', 'mediation_settle', 'mediation_close']);

    resident.text(`/tracuu ${code.toLowerCase()}`);
    await said(resident.id, 'Đã kết thúc');

    // Asking to be forgotten removes the phone number from the case; the register keeps name and address.
    resident.text('/xoadulieu');
    await said(resident.id, 'Xóa dữ liệu cá nhân của bạn?');
    resident.press('🗑 Xóa dữ liệu của tôi');
    await said(resident.id, 'Đã xóa dữ liệu cá nhân');
    const forgotten = await app.reports.byCode(code);
    expect(forgotten?.reporter).toBeNull();
    const left = forgotten?.dispute ? JSON.parse(createPiiCipher(Buffer.from(TEST_KEY, 'base64')).decrypt(forgotten.dispute.partiesEnc)) : null;
    expect(left).toMatchObject({ requester: { name: 'Lê Thị Hoa', birthYear: 1980, phone: '' } });
  });

  it('sends someone in danger to 113 and a crime to the tip flow, never to mediation', async () => {
    const disputesBefore = await app.database.models.reports.countDocuments({ kind: 'dispute' });
    const resident = new TelegramUser(telegram, 4242, 'Tùng');
    resident.text('/hoagiai');
    await said(resident.id, 'dữ liệu cá nhân');
    resident.press('✅ Tôi đồng ý');
    await said(resident.id, 'có ai đang gặp nguy hiểm');
    resident.press('🚨 Có người đang gặp nguy hiểm');
    await said(resident.id, 'Hãy gọi ngay 113');
    resident.press('📝 Báo tin / tố giác');
    await said(resident.id, 'Báo tin, tố giác');

    resident.text('/huy');
    resident.text('hoa giai');
    await eventually('asked again', () => telegram.textsTo(resident.id).filter((t) => t.includes('có ai đang gặp nguy hiểm')).length === 2);
    resident.press('⚠️ Có dấu hiệu tội phạm, vi phạm');
    await said(resident.id, 'không được hòa giải ở cơ sở');
    expect(await app.database.models.reports.countDocuments({ kind: 'dispute' })).toBe(disputesBefore);
  });

  it('exports the mediation register of exactly the period (Vietnam time), as CSV and .xlsx with the Ministry’s columns and Vietnamese intact', async () => {
    // 00:30 on 1 November in Vietnam is still 31 October in UTC; 00:10 on 1 December is still 30 November in UTC.
    now = new Date('2026-10-31T17:30:00Z');
    const early = await fileTelegramDispute(telegram, new TelegramUser(telegram, 4343, 'Sương'), { ...noise, kind: 'Đất đai, ranh giới', otherParty: 'Bà Đỗ Thị Ngọc, nhà số 14', nameAndYear: 'Hồ Văn Lực, 1961', phone: '0987654321' });
    now = new Date('2026-11-30T17:10:00Z');
    const late = await fileTelegramDispute(telegram, new TelegramUser(telegram, 4444, 'Khoa'), { ...noise, nameAndYear: 'Vũ Đức Khoa', phone: '0977111222' });
    now = new Date('2026-12-02T03:00:00Z');

    const officer = new TelegramUser(telegram, 8402, 'Thư ký', HG_P4_DESK);
    officer.text('/sohoagiai 01/11/2026 30/11/2026');
    await eventually('register sent', () => telegram.callsOf('sendDocument', HG_P4_DESK).length === 2);
    const summary = telegram.textsTo(HG_P4_DESK).find((t) => t.includes('Sổ theo dõi hòa giải')) ?? '';
    expect(summary).toContain('từ 01/11/2026 đến 30/11/2026: 2 vụ việc');

    const [csvCall, xlsxCall] = telegram.callsOf('sendDocument', HG_P4_DESK);
    const csvBytes = csvCall.files.document;
    expect(csvBytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(csvBytes.toString('utf8').slice(1));
    expect(rows[0]).toEqual(['STT', 'Ngày nhận vụ việc', 'Hòa giải viên', 'Các bên (họ tên, tuổi, địa chỉ)', 'Nội dung chủ yếu', 'Thỏa thuận hoặc yêu cầu', 'Kết quả (thành / không thành)', 'Ghi chú']);
    expect(rows).toHaveLength(3);
    expect(rows[1][1]).toBe('01/11/2026');
    expect(rows[1][3]).toContain('Người yêu cầu: Hồ Văn Lực, 65 tuổi, 12 Nguyễn Thị Minh Khai, tổ 5, Phường 4');
    expect(rows[1][3]).toContain('Bên kia: Bà Đỗ Thị Ngọc, nhà số 14');
    expect(rows[1][4]).toBe(`Đất đai, ranh giới: ${noise.description}`);
    expect(rows[1][6]).toBe('Đang hòa giải');
    expect(rows[1][7]).toContain(early);
    expect(rows[2][2]).toBe('Nguyễn Thị Hòa, Lê Minh Tâm');
    expect(rows[2][5]).toContain('Ông Bình cam kết tắt nhạc trước 22 giờ');
    expect(rows[2][6]).toBe('Thành');
    expect(rows.flat().join(' ')).not.toContain(late);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsxCall.files.document as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Sổ hòa giải');
    expect(sheet?.rowCount).toBe(3);
    expect(sheet?.getRow(1).getCell(4).value).toBe('Các bên (họ tên, tuổi, địa chỉ)');
    expect(String(sheet?.getRow(2).getCell(3).value ?? '')).toBe('');
    expect(String(sheet?.getRow(3).getCell(7).value)).toBe('Thành');
    expect(String(sheet?.getRow(2).getCell(8).value)).toContain(early);

    // Only the team's own desk can export; a police desk cannot.
    new TelegramUser(telegram, 8403, 'CA', POLICE_P4_DESK).text('/sohoagiai');
    await said(POLICE_P4_DESK, 'chỉ xuất được ở bàn trực của một tổ hòa giải');
    expect(await app.database.models.auditLog.countDocuments({ action: 'export_register', unitId: 'hg-p4' })).toBe(1);
  });
});
