import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { TelegramUser } from '../support/telegram-user';
import { fileTelegramTip } from '../support/file-tip';
import { eventually, testEnv } from '../support/test-env';
import { deskPayload } from '../../src/core/payloads';
import { PHOTO_WITH_EXIF } from '../support/seed-audience';

const P4_DESK = -1004;
const P4_SECOND_DESK = -1005;
const P9_DESK = -1009;

describe('officer desks: routing, triage in the chat, reporter follow-up', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('officer_desk', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot }));
    for (const [chat, unit] of [[P4_DESK, 'cap-p4'], [P4_SECOND_DESK, 'cap-p4'], [P9_DESK, 'cap-p9']] as const) {
      const officer = new TelegramUser(telegram, 9000 + Math.abs(chat), 'Cán bộ', chat);
      officer.text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === unit)?.code}`);
      await eventually(`desk ${chat} registered`, () => telegram.textsTo(chat).some((t) => t.includes('bàn trực ban')));
    }
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  /** A resident files an anonymous theft tip in the given ward; returns the stored report once a desk has its card. */
  async function fileTip(user: TelegramUser, ward: string) {
    const code = await fileTelegramTip(telegram, user, { category: 'Trộm cắp, cướp giật', description: 'Trộm đột nhập nhà số 8 lấy xe máy lúc rạng sáng.', ward });
    const report = await app.reports.byCode(code);
    if (!report) throw new Error('tip not stored');
    await eventually('card delivered', () => telegram.textsTo(P4_DESK).some((t) => t.includes(report.code)) || telegram.textsTo(P9_DESK).some((t) => t.includes(report.code)));
    return report;
  }

  function cardEdits(chat: number, code: string): string[] {
    return telegram.callsOf('editMessageText', chat).map((c) => String(c.params.text)).filter((t) => t.includes(code));
  }

  it('routes by ward, keeps other units out, and runs accept → valuable → close with the reporter told at each step', async () => {
    const resident = new TelegramUser(telegram, 3131, 'Mai');
    const report = await fileTip(resident, 'Phường 4');
    expect(report.unitIds).toEqual(['cap-p4']);
    await eventually('both cap-p4 desks have the card', () => telegram.textsTo(P4_SECOND_DESK).some((t) => t.includes(report.code)));
    expect(telegram.textsTo(P9_DESK).some((t) => t.includes(report.code))).toBe(false);
    const card = telegram.callsOf('sendMessage', P4_DESK).find((c) => String(c.params.text).includes(report.code));
    expect(JSON.stringify(card?.params.reply_markup)).toContain('Tiếp nhận');

    // An officer of another unit cannot act on it, even with a forged button.
    const outsider = new TelegramUser(telegram, 9901, 'Ngoài', P9_DESK);
    outsider.pressData(deskPayload(report._id, 'accept'));
    await eventually('outsider refused', () => telegram.textsTo(P9_DESK).some((t) => t.includes('không thuộc phạm vi')));
    expect((await app.database.models.reports.findOne({ _id: report._id }).lean())?.status).toBe('received');

    const officer = new TelegramUser(telegram, 9401, 'Tuấn', P4_DESK);
    officer.pressData(deskPayload(report._id, 'accept'));
    await eventually('card edited to accepted', () => cardEdits(P4_DESK, report.code).some((t) => t.includes('cán bộ Tuấn')));
    await eventually('the other desk of the unit sees it too', () => cardEdits(P4_SECOND_DESK, report.code).some((t) => t.includes('cán bộ Tuấn')));
    await eventually('reporter told of acceptance', () => telegram.textsTo(resident.id).some((t) => t.includes('Công an Phường 4 tiếp nhận')));

    officer.pressData(deskPayload(report._id, 'valuable'));
    await eventually('assessed', () => cardEdits(P4_DESK, report.code).some((t) => t.includes('Có giá trị')));

    officer.pressData(deskPayload(report._id, 'close_menu'));
    await eventually('outcome menu', () => telegram.callsOf('editMessageText', P4_DESK).some((c) => JSON.stringify(c.params.reply_markup).includes('Đã khởi tố')));
    officer.pressData(deskPayload(report._id, 'close:prosecuted'));
    // Closing as prosecuted asks how many subjects were dealt with: a number, as every review counts them.
    await eventually('the subjects question', () => telegram.textsTo(P4_DESK).some((t) => t.includes('Đã xử lý bao nhiêu đối tượng?')));
    officer.text('nhiều');
    await eventually('a number asked for', () => telegram.textsTo(P4_DESK).some((t) => t.includes('Hãy gõ số đối tượng')));
    officer.text('2');
    await eventually('the card says how many', () => cardEdits(P4_DESK, report.code).some((t) => t.includes('Đối tượng đã xử lý: 2')));
    await eventually('reporter told of the outcome', () => telegram.textsTo(resident.id).some((t) => t.includes('Kết quả: Đã khởi tố')));
    expect(telegram.textsTo(resident.id).find((t) => t.includes('Kết quả'))).toContain('khiếu nại');

    const closed = await app.database.models.reports.findOne({ _id: report._id }).lean();
    expect(closed).toMatchObject({ status: 'closed', assessment: 'valuable', outcome: 'prosecuted', subjects: 2, assignee: { unitId: 'cap-p4', name: 'Tuấn' }, closedAt: expect.any(Date) });
    expect(closed?.statusHistory.map((h) => h.status)).toEqual(['received', 'accepted', 'closed']);

    const audit = await app.database.models.auditLog.find({ reportId: report._id }).sort({ at: 1 }).lean();
    expect(audit.map((a) => a.action)).toEqual(['refused_out_of_unit', 'accept', 'valuable', 'close:prosecuted']);
    expect(audit[1]).toMatchObject({ unitId: 'cap-p4', actor: { channel: 'telegram', userId: '9401', name: 'Tuấn' }, before: { status: 'received' }, after: { status: 'accepted' } });

    // The reporter never learns which officer handled it, and the desk never learns who the reporter is.
    expect(telegram.textsTo(resident.id).join('\n')).not.toContain('Tuấn');
    const deskBound = JSON.stringify(telegram.calls.filter((c) => [P4_DESK, P4_SECOND_DESK].includes(Number(c.params.chat_id))));
    expect(deskBound).not.toContain('3131');
    expect(deskBound).not.toContain('Mai');

    resident.text(`/tracuu ${report.code}`);
    const status = await eventually('status', () => telegram.textsTo(resident.id).find((t) => t.includes('Tình trạng: Đã kết thúc')));
    // The reporter looking up their own tip sees how it ended, as the closing notice said.
    expect(status).toContain('Kết quả: Đã khởi tố');
  });

  it('lets exactly one of two officers win when they press at the same moment', async () => {
    const resident = new TelegramUser(telegram, 3232, 'Hùng');
    const report = await fileTip(resident, 'Phường 5');
    await eventually('second desk has the card', () => telegram.textsTo(P4_SECOND_DESK).some((t) => t.includes(report.code)));

    const a = new TelegramUser(telegram, 9411, 'Anh', P4_DESK);
    const b = new TelegramUser(telegram, 9511, 'Bảo', P4_SECOND_DESK);
    a.pressData(deskPayload(report._id, 'accept'));
    b.pressData(deskPayload(report._id, 'accept'));

    await eventually('loser told who was first', () =>
      [...telegram.textsTo(P4_DESK), ...telegram.textsTo(P4_SECOND_DESK)].some((t) => t.includes('đã được') && t.includes('thực hiện trước')),
    );
    const stored = await app.database.models.reports.findOne({ _id: report._id }).lean();
    expect(['Anh', 'Bảo']).toContain(stored?.assignee?.name);
    expect(stored?.statusHistory.filter((h) => h.status === 'accepted')).toHaveLength(1);
    expect(await app.database.models.auditLog.countDocuments({ reportId: report._id, action: 'accept' })).toBe(1);
    await eventually('reporter told', () => telegram.textsTo(resident.id).some((t) => t.includes('tiếp nhận và đang xác minh')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(telegram.textsTo(resident.id).filter((t) => t.includes('tiếp nhận và đang xác minh'))).toHaveLength(1);
  });

  it('asks for acceptance before an assessment or a close', async () => {
    const resident = new TelegramUser(telegram, 3333, 'Lộc');
    const report = await fileTip(resident, 'Phường 4');
    const officer = new TelegramUser(telegram, 9421, 'Tâm', P4_DESK);
    officer.pressData(deskPayload(report._id, 'not_valuable'));
    await eventually('told to accept first', () => telegram.textsTo(P4_DESK).some((t) => t.includes('Hãy bấm Tiếp nhận trước')));
    expect((await app.database.models.reports.findOne({ _id: report._id }).lean())?.assessment).toBeNull();
  });

  it('relays an officer reply to the reporter and the reporter answer back into the tip thread, both anonymous', async () => {
    const resident = new TelegramUser(telegram, 3434, 'Nga');
    const report = await fileTip(resident, 'Phường 4');
    const officer = new TelegramUser(telegram, 9431, 'Phong', P4_DESK);
    officer.pressData(deskPayload(report._id, 'accept'));
    await eventually('accepted', () => telegram.textsTo(resident.id).some((t) => t.includes('tiếp nhận và đang xác minh')));

    officer.pressData(deskPayload(report._id, 'reply'));
    await eventually('desk asked for the message', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Người báo tin #${report.code}`)));
    // Another officer chatting in the group meanwhile is not taken as the reply.
    new TelegramUser(telegram, 9432, 'Đồng nghiệp', P4_DESK).text('Anh Phong ơi, họp giao ban lúc 9 giờ nhé');
    officer.text('Anh/chị có nhớ biển số xe của đối tượng không?');
    await eventually('relayed to the reporter', () => telegram.textsTo(resident.id).some((t) => t.includes('Anh/chị có nhớ biển số')));
    const relayed = telegram.textsTo(resident.id).find((t) => t.includes('Anh/chị có nhớ biển số')) ?? '';
    expect(relayed).toContain('Công an Phường 4');
    expect(relayed).not.toContain('Phong');
    expect(telegram.textsTo(resident.id).join('\n')).not.toContain('họp giao ban');
    await eventually('officer told it was sent', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Đã chuyển tới Người báo tin #${report.code}`)));

    resident.press('✍️ Trả lời / bổ sung');
    await eventually('asked what to add', () => telegram.textsTo(resident.id).some((t) => t.includes('Gửi nội dung bổ sung')));
    resident.text('Biển số 59C1-888.99, xe Wave màu đỏ.');
    await eventually('answer reached the desk', () => telegram.textsTo(P4_DESK).some((t) => t.includes('59C1-888.99')));
    const answer = telegram.callsOf('sendMessage', P4_DESK).find((c) => String(c.params.text).includes('59C1-888.99'));
    expect(String(answer?.params.text)).toContain(`Người báo tin #${report.code}`);
    const card = await app.database.models.deskDeliveries.findOne({ reportId: report._id, deskId: `telegram:${P4_DESK}` }).lean();
    expect(JSON.stringify(answer?.params.reply_parameters)).toContain(`"message_id":${card?.messageRef}`);

    // Later evidence through /bosung: a photo reaches the desk and is kept with the tip.
    telegram.addFile('later-photo', PHOTO_WITH_EXIF);
    resident.text(`/bosung ${report.code}`);
    await eventually('asked again', () => telegram.textsTo(resident.id).filter((t) => t.includes('Gửi nội dung bổ sung')).length === 2);
    resident.photo('later-photo', 10);
    // Uploaded without its metadata, never forwarded by the reporter's file_id.
    await eventually('photo at the desk', () => telegram.callsOf('sendPhoto', P4_DESK).some((c) => c.files.photo !== undefined && !c.files.photo.includes('PhoneMaker')));
    expect((await app.database.models.reports.findOne({ _id: report._id }).lean())?.evidence).toEqual([expect.objectContaining({ kind: 'photo', platform: null, original: expect.objectContaining({ size: PHOTO_WITH_EXIF.length }) })]);

    // Someone else holding the code cannot write into the thread.
    const stranger = new TelegramUser(telegram, 3535, 'Lạ');
    stranger.text('/start');
    await eventually('stranger greeted', () => telegram.lastButtons(stranger.id).length > 0);
    stranger.press('✅ Tôi đồng ý');
    await eventually('stranger consented', () => telegram.textsTo(stranger.id).some((t) => t.includes('Cảm ơn bạn')));
    stranger.text(`/bosung ${report.code} tin giả mạo`);
    await eventually('stranger refused', () => telegram.textsTo(stranger.id).some((t) => t.includes('chỉ bổ sung được cho tin báo do chính bạn gửi')));

    const deskBound = JSON.stringify(telegram.calls.filter((c) => Number(c.params.chat_id) === P4_DESK));
    // The reporter's chat id as a value of its own (random report ids may contain the digits).
    expect(deskBound).not.toMatch(/(?<![\w-])3434(?![\w-])/);
    expect(deskBound).not.toContain('Nga');
    const thread = await app.database.models.reportMessages.find({ reportId: report._id }).sort({ at: 1 }).lean();
    expect(thread.map((m) => m.direction)).toEqual(['to_reporter', 'from_reporter', 'from_reporter']);
  });

  it('forwards a tip to another unit with a reason: the new desk accepts it afresh, the old one keeps a closed card', async () => {
    const resident = new TelegramUser(telegram, 3636, 'Thảo');
    const report = await fileTip(resident, 'Phường 4');
    const p4 = new TelegramUser(telegram, 9441, 'Hải', P4_DESK);

    p4.pressData(deskPayload(report._id, 'forward_menu'));
    await eventually('units offered', () => telegram.callsOf('editMessageText', P4_DESK).some((c) => JSON.stringify(c.params.reply_markup).includes('Công an Phường 9')));
    p4.pressData(deskPayload(report._id, 'fwd:cap-p9'));
    await eventually('reason asked', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Nhập lý do chuyển tin báo ${report.code}`)));
    p4.text('Địa chỉ thực tế thuộc Phường 9 quản lý');
    await eventually('forwarded', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Đã chuyển tin báo ${report.code} cho Công an Phường 9`)));

    await eventually('new unit has the card', () => telegram.textsTo(P9_DESK).some((t) => t.includes(report.code)));
    const oldCard = telegram.callsOf('editMessageText', P4_DESK).filter((c) => String(c.params.text).includes('Đã chuyển cho Công an Phường 9')).pop();
    expect(String(oldCard?.params.text)).toContain('Lý do: Địa chỉ thực tế thuộc Phường 9 quản lý');
    expect(JSON.stringify(oldCard?.params.reply_markup)).toBe('{"inline_keyboard":[]}');
    await eventually('reporter told', () => telegram.textsTo(resident.id).some((t) => t.includes('chuyển đến Công an Phường 9')));

    p4.pressData(deskPayload(report._id, 'accept'));
    await eventually('old unit refused', () => telegram.textsTo(P4_DESK).filter((t) => t.includes('không thuộc phạm vi')).length > 0);
    const p9 = new TelegramUser(telegram, 9941, 'Kiên', P9_DESK);
    p9.pressData(deskPayload(report._id, 'accept'));
    // The audit entry is written after the tip changes; wait for it rather than for the tip.
    await eventually('new unit accepted and audited', async () => (await app.database.models.auditLog.countDocuments({ reportId: report._id, action: 'accept' })) === 1);

    const stored = await app.database.models.reports.findOne({ _id: report._id }).lean();
    expect(stored).toMatchObject({ unitIds: ['cap-p9'], status: 'accepted', forwards: [expect.objectContaining({ fromUnitId: 'cap-p4', toUnitId: 'cap-p9', by: 'Hải' })] });
    expect(stored?.statusHistory.map((h) => h.status)).toEqual(['received', 'forwarded', 'accepted']);
    const actions = (await app.database.models.auditLog.find({ reportId: report._id }).sort({ at: 1 }).lean()).map((a) => a.action);
    expect(actions).toEqual(['forward', 'refused_out_of_unit', 'accept']);
  });

  it('a forwarded tip keeps its history: the new unit’s card says where it came from and why, its assessment, and the exchange with the reporter; the old unit can still read it', async () => {
    const resident = new TelegramUser(telegram, 3989, 'Quý');
    const report = await fileTip(resident, 'Phường 4');
    const p4 = new TelegramUser(telegram, 9451, 'Lực', P4_DESK);
    p4.pressData(deskPayload(report._id, 'accept'));
    await eventually('accepted', () => telegram.textsTo(resident.id).some((t) => t.includes('tiếp nhận và đang xác minh')));
    p4.pressData(deskPayload(report._id, 'valuable'));
    await eventually('assessed', async () => (await app.database.models.reports.findOne({ _id: report._id }).lean())?.assessment === 'valuable');
    p4.pressData(deskPayload(report._id, 'reply'));
    await eventually('desk asked for the message', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Người báo tin #${report.code}`)));
    p4.text('Nhà đó ở đầu hay cuối hẻm?');
    await eventually('relayed', () => telegram.textsTo(resident.id).some((t) => t.includes('đầu hay cuối hẻm')));
    resident.press('✍️ Trả lời / bổ sung');
    await eventually('asked what to add', () => telegram.textsTo(resident.id).filter((t) => t.includes('Gửi nội dung bổ sung')).length > 0);
    resident.text('Cuối hẻm, cổng sắt xanh, thuộc Phường 9.');
    await eventually('answer at the desk', () => telegram.textsTo(P4_DESK).some((t) => t.includes('cổng sắt xanh')));

    p4.pressData(deskPayload(report._id, 'forward_menu'));
    await eventually('units offered', () => telegram.callsOf('editMessageText', P4_DESK).some((c) => String(c.params.text).includes(report.code) && JSON.stringify(c.params.reply_markup).includes('fwd:cap-p9')));
    p4.pressData(deskPayload(report._id, 'fwd:cap-p9'));
    await eventually('reason asked', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Nhập lý do chuyển tin báo ${report.code}`)));
    p4.text('Nhà ở cuối hẻm thuộc Phường 9');

    const card = await eventually('new unit has the card', () => telegram.textsTo(P9_DESK).find((t) => t.includes(report.code)));
    expect(card).toMatch(/↪ Chuyển đến từ Công an Phường 4 lúc .+\. Lý do: Nhà ở cuối hẻm thuộc Phường 9/);
    expect(card).toContain('Có giá trị');
    expect(card).toContain('Trao đổi với người báo (2 tin gần nhất)');
    expect(card).toMatch(/• .+ Công an Phường 4: Nhà đó ở đầu hay cuối hẻm\?/);
    expect(card).toMatch(/• .+ Người báo: Cuối hẻm, cổng sắt xanh, thuộc Phường 9\./);
    expect(card).not.toContain('Lực');
    expect((await app.database.models.reports.findOne({ _id: report._id }).lean())?.assessment).toBe('valuable');
    // The old unit keeps its card, saying where it went.
    await eventually('old card says where it went', () => telegram.callsOf('editMessageText', P4_DESK).some((c) => String(c.params.text).includes(report.code) && String(c.params.text).includes('Đã chuyển cho Công an Phường 9')));
  });

  it('closes a tip as a duplicate of an earlier tip of the same unit, by its code', async () => {
    const first = await fileTip(new TelegramUser(telegram, 3737, 'Yến'), 'Phường 4');
    const again = await fileTip(new TelegramUser(telegram, 3838, 'Đạt'), 'Phường 5');
    const officer = new TelegramUser(telegram, 9451, 'Lực', P4_DESK);
    officer.pressData(deskPayload(again._id, 'accept'));
    await eventually('accepted', async () => (await app.database.models.reports.findOne({ _id: again._id }).lean())?.status === 'accepted');

    officer.pressData(deskPayload(again._id, 'close:duplicate'));
    await eventually('asked which tip', () => telegram.textsTo(P4_DESK).some((t) => t.includes(`Tin báo ${again.code} trùng với tin báo nào`)));
    officer.text('TB-ZZZZZZ');
    await eventually('unknown code refused', () => telegram.textsTo(P4_DESK).some((t) => t.includes('Không tìm thấy tin báo “TB-ZZZZZZ”')));
    expect((await app.database.models.reports.findOne({ _id: again._id }).lean())?.status).toBe('accepted');

    officer.pressData(deskPayload(again._id, 'close:duplicate'));
    await eventually('asked again', () => telegram.textsTo(P4_DESK).filter((t) => t.includes(`Tin báo ${again.code} trùng với tin báo nào`)).length === 2);
    officer.text(first.code.toLowerCase());
    await eventually('closed as duplicate', async () => (await app.database.models.reports.findOne({ _id: again._id }).lean())?.status === 'closed');
    expect(await app.database.models.reports.findOne({ _id: again._id }).lean()).toMatchObject({ outcome: 'duplicate', duplicateOf: first.code });
    await eventually('card says so', () => cardEdits(P4_DESK, again.code).some((t) => t.includes(`Trùng với ${first.code}`)));
  });

  it('keeps a notice for the reporter until their chat accepts it, and nothing of its words once it did', async () => {
    const resident = new TelegramUser(telegram, 3939, 'Quyên');
    const report = await fileTip(resident, 'Phường 4');
    const noticeClaims = async () => (await app.database.models.deliveryClaims.find({}).lean()).map((c) => c._id).filter((id) => id.startsWith('notice:'));
    const claimedBefore = new Set(await noticeClaims());
    telegram.failCallsTo(resident.id, 2);
    new TelegramUser(telegram, 9461, 'Nam', P4_DESK).pressData(deskPayload(report._id, 'accept'));

    await eventually(
      'notice delivered after failures',
      async () => {
        await app.notices.flush();
        return telegram.textsTo(resident.id).some((t) => t.includes('tiếp nhận và đang xác minh'));
      },
      15_000,
    );
    // Only its id is kept (so it is never queued twice), and housekeeping removes that after a day.
    await eventually('delivered notice emptied', async () => (await app.database.models.reporterNotices.countDocuments({ $or: [{ status: 'pending' }, { bodyEnc: { $ne: '' } }] })) === 0);
    // Three attempts: the first held by the officer's action, the two retries each claimed once by a round.
    const retries = (await noticeClaims()).filter((id) => !claimedBefore.has(id));
    expect(retries.map((id) => id.slice(-2)).sort()).toEqual(['#2', '#3']);
    expect(telegram.textsTo(resident.id).filter((t) => t.includes('tiếp nhận và đang xác minh'))).toHaveLength(1);
  });
});
