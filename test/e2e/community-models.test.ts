import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { TelegramUser } from '../support/telegram-user';
import { fileTelegramTip } from '../support/file-tip';
import { eventually, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';
import { deskPayload } from '../../src/core/payloads';

const SYSTEM_ADMIN = 6101;
const LEADER = 6102;
const STRANGER = 6103;
const RESIDENT = 6104;
const P4_DESK = -6100;

/**
 * A ward's self-management models (mô hình tự quản), as a ward police
 * officer runs them from the chat: the unit admin creates a tổ liên gia and
 * invites its leader; a resident who opens the bot from the model's link
 * files a tip the desk sees as coming through the model (never who sent it);
 * the leader records what the model did; the model's figures add up; a
 * dissolved model counts no one more.
 */
describe('neighbourhood self-management models', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('community_models', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ADMIN_TELEGRAM_IDS: String(SYSTEM_ADMIN) }));
    new TelegramUser(telegram, 6199, 'Trực ban', P4_DESK).text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    await eventually('the Phường 4 desk registered', () => telegram.textsTo(P4_DESK).some((t) => t.includes('bàn trực ban')));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  /** Does something as this user and waits for the bot's next message that contains `needle`; returns that message. */
  async function answer(user: TelegramUser, act: () => unknown, needle: string): Promise<string> {
    const before = telegram.textsTo(user.chatId).length;
    act();
    return eventually(`"${needle}" to ${user.id}`, () => telegram.textsTo(user.chatId).slice(before).find((t) => t.includes(needle)));
  }

  let modelCode = '';
  let invite = '';
  let tipCode = '';

  it('lets a unit admin create a model in a few steps, and gives it a join code and a one-time leader invite', async () => {
    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Thượng úy Hùng');
    await answer(admin, () => admin.text('/mohinh'), 'chưa có mô hình');
    await answer(admin, () => admin.press('➕ Tạo mô hình'), 'Loại mô hình?');
    await answer(admin, () => admin.press('Tổ liên gia tự quản'), 'thuộc đơn vị nào');
    await answer(admin, () => admin.press('Công an Phường 4'), 'phường/xã nào');
    // Typed without diacritics, a ward the unit does not cover is refused; its own is taken.
    await answer(admin, () => admin.text('phuong 9'), 'không thuộc đơn vị');
    await answer(admin, () => admin.text('phuong 4'), 'Khu phố / tổ dân phố');
    await answer(admin, () => admin.text('Khu phố 2'), 'Tên mô hình');
    await answer(admin, () => admin.text('Tổ liên gia số 5 hẻm 12'), 'Số hộ và số người');
    const confirm = await answer(admin, () => admin.text('45 hộ, 160 người'), 'Tạo mô hình?');
    expect(confirm).toContain('Khu phố 2, Phường 4');
    expect(confirm).toContain('45 hộ, 160 người');
    const created = await answer(admin, () => admin.press('✅ Tạo mô hình'), 'Đã tạo mô hình');
    modelCode = /MH-[A-Z2-9]{6}/.exec(created)?.[0] ?? '';
    expect(modelCode).not.toBe('');
    // The link residents open: the bot's own address (its name from Telegram), starting the private chat with the model's code.
    expect(created).toContain(`https://t.me/tinbao_test_bot?start=${modelCode}`);

    const invited = await answer(admin, () => admin.press('👤 Mời trưởng mô hình'), 'Mã mời trưởng mô hình');
    invite = /LD-[A-Z2-9]{8}/.exec(invited)?.[0] ?? '';
    expect(invite).not.toBe('');

    // Someone who is not an admin neither sees it nor creates one.
    const stranger = new TelegramUser(telegram, STRANGER, 'Người lạ');
    await answer(stranger, () => stranger.text(`/mohinh ${modelCode}`), 'Không tìm thấy mô hình');
    await answer(stranger, () => stranger.text('/mohinh tao'), 'Chỉ quản trị đơn vị');
  });

  it('makes the chat that sends the invite a leader, once: the same code then works for no one', async () => {
    const leader = new TelegramUser(telegram, LEADER, 'Cô Tư');
    // Typed in lower case, as read out over the phone.
    await answer(leader, () => leader.text(`/nhanmohinh ${invite.toLowerCase()}`), 'Bạn là trưởng mô hình “Tổ liên gia số 5 hẻm 12”');
    const stranger = new TelegramUser(telegram, STRANGER, 'Người lạ');
    await answer(stranger, () => stranger.text(`/nhanmohinh ${invite}`), 'Mã mời không đúng, đã dùng hoặc đã hết hạn');
    const model = await app.database.models.communityModels.findOne({ code: modelCode }).lean();
    expect(model?.leaders.map((l) => l.name)).toEqual(['Cô Tư']);
    // The leader's chat is kept only as a pseudonym and an encrypted address.
    expect(JSON.stringify(model?.leaders)).not.toContain(String(LEADER));
  });

  it('counts a resident who opens the bot from the model’s link, and shows the desk the model on their tip, never who they are', async () => {
    const resident = new TelegramUser(telegram, RESIDENT, 'Bà Năm');
    await answer(resident, () => resident.text(`/start ${modelCode}`), 'Bạn đến từ mô hình “Tổ liên gia số 5 hẻm 12”');
    const code = await fileTelegramTip(telegram, resident, { category: 'Ma túy', description: 'Thanh niên lạ tụ tập sử dụng ma túy trong hẻm mỗi tối.', ward: 'Phường 4' });
    tipCode = code;
    const card = await eventually('the card at the Phường 4 desk', () => telegram.textsTo(P4_DESK).find((t) => t.includes(code)));
    expect(card).toContain('Mô hình tự quản: Tổ liên gia số 5 hẻm 12');
    expect(card).toContain('Người báo: Ẩn danh');
    expect(card).not.toContain('Bà Năm');
  });

  it('lets the leader record each kind of activity in a few taps, and adds them up in the model’s figures', async () => {
    const leader = new TelegramUser(telegram, LEADER, 'Cô Tư');
    const record = async (kind: string, steps: [() => unknown, string][]) => {
      await answer(leader, () => leader.text('/hoatdong'), 'vừa làm gì?');
      await answer(leader, () => leader.press(kind), steps[0][1]);
      for (let i = 1; i < steps.length; i += 1) await answer(leader, steps[i - 1][0], steps[i][1]);
      await answer(leader, steps[steps.length - 1][0], 'Đã ghi nhận hoạt động');
    };
    await record('🤝 Phát hiện, hòa giải mâu thuẫn', [
      [() => leader.press('Tiếng ồn'), 'việc gì?'],
      [() => leader.press('✅ Đã giải quyết tại cơ sở'), 'Kết quả?'],
    ]);
    await record('📢 Buổi tuyên truyền', [
      [() => leader.press('👥 Họp, sinh hoạt'), 'Hình thức'],
      [() => leader.text('35'), 'Bao nhiêu người tham dự'],
    ]);
    await record('📢 Buổi tuyên truyền', [
      [() => leader.press('📻 Phát loa truyền thanh'), 'Hình thức'],
      [() => leader.text('200 hộ'), 'bao nhiêu hộ nghe'],
    ]);
    await record('🔦 Ca tuần tra', [[() => leader.text('6 nguoi, 4 gio'), 'Ca tuần tra']]);
    await record('✍️ Hộ ký cam kết', [[() => leader.text('30'), 'ký cam kết']]);
    // A number that is not one is asked again, not recorded.
    await answer(leader, () => leader.text('/hoatdong'), 'vừa làm gì?');
    await answer(leader, () => leader.press('✍️ Hộ ký cam kết'), 'ký cam kết');
    await answer(leader, () => leader.text('nhiều lắm'), 'Hãy gõ một số');
    await answer(leader, () => leader.text('/huy'), 'Đã hủy');

    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Thượng úy Hùng');
    const details = await answer(admin, () => admin.text(`/mohinh ${modelCode.toLowerCase()}`), 'Từ khi thành lập');
    expect(details).toContain('1 cư dân tham gia qua mô hình');
    expect(details).toContain('1 tin báo (0 có giá trị)');
    expect(details).toContain('1 vụ mâu thuẫn phát hiện (1 giải quyết tại cơ sở)');
    expect(details).toContain('2 buổi tuyên truyền (235 lượt người, 1 lượt phát loa)');
    expect(details).toContain('1 ca tuần tra (6 lượt người)');
    expect(details).toContain('30 hộ ký cam kết');
    expect(await app.database.models.modelActivities.countDocuments({})).toBe(5);
    expect(await app.database.models.auditLog.countDocuments({ action: 'model_activity_recorded' })).toBe(5);
  });

  it('lists for commendation the model and the reporter (by code only) with valuable tips, and thanks them through the bot without revealing who the reporter is', async () => {
    const report = await app.database.models.reports.findOne({ code: tipCode }).lean();
    const officer = new TelegramUser(telegram, 6198, 'Tuấn', P4_DESK);
    officer.pressData(deskPayload(report?._id ?? '', 'accept'));
    await eventually('accepted', async () => (await app.database.models.reports.findOne({ code: tipCode }).lean())?.status === 'accepted');
    officer.pressData(deskPayload(report?._id ?? '', 'valuable'));
    await eventually('assessed', async () => (await app.database.models.reports.findOne({ code: tipCode }).lean())?.assessment === 'valuable');

    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Thượng úy Hùng');
    const list = await answer(admin, () => admin.text('/khenthuong'), 'Đề xuất khen thưởng');
    expect(list).toContain(`${modelCode} “Tổ liên gia số 5 hẻm 12”: 1 tin có giá trị`);
    expect(list).toContain(`Người báo tin qua ${tipCode}: 1 tin có giá trị`);

    await answer(admin, () => admin.press(`🏅 Khen người báo tin ${tipCode}`), 'Bot không cho bạn biết họ là ai');
    await answer(admin, () => admin.press('Dùng lời khen mặc định'), 'Đã gửi lời khen tới người báo tin');
    await eventually('the reporter thanked', () => telegram.textsTo(RESIDENT).some((t) => t.includes(`trân trọng cảm ơn bạn về thông tin đã cung cấp (${tipCode})`)));

    await answer(admin, () => admin.text('/khenthuong'), 'Đề xuất khen thưởng');
    await answer(admin, () => admin.press(`🏅 Khen mô hình ${modelCode}`), 'trưởng mô hình');
    await answer(admin, () => admin.text('Cảm ơn tổ đã phát hiện sớm điểm tụ tập.'), 'Đã gửi lời khen tới các trưởng mô hình');
    await eventually('the leader thanked', () => telegram.textsTo(LEADER).some((t) => t.includes('Cảm ơn tổ đã phát hiện sớm điểm tụ tập.')));

    // Nobody learns who the reporter is: not the admin's chat, not the audit log.
    const adminSaw = telegram.textsTo(SYSTEM_ADMIN).join('\n');
    expect(adminSaw).not.toContain('Bà Năm');
    expect(adminSaw).not.toContain(String(RESIDENT));
    const audit = await app.database.models.auditLog.find({ action: /^commend_/ }).lean();
    expect(audit.map((a) => a.action).sort()).toEqual(['commend_model', 'commend_reporter']);
    expect(JSON.stringify(audit)).not.toContain(String(RESIDENT));
  });

  it('counts web chat residents who come with ?mohinh=, and no one once the model is dissolved with a reason', async () => {
    const web = await WebchatClient.open(app.url);
    expect((await web.say(`/start ${modelCode}`)).map((m) => m.text).join('\n')).toContain('Bạn đến từ mô hình');

    // A leader sees and edits their own model.
    const leader = new TelegramUser(telegram, LEADER, 'Cô Tư');
    const own = await answer(leader, () => leader.text('/mohinh'), 'Mô hình tự quản (1)');
    expect(own).toContain(modelCode);
    await answer(leader, () => leader.text(`/mohinh ${modelCode}`), 'Nhóm chat đã đăng ký: 0');
    await answer(leader, () => leader.press('✏️ Đổi tên'), 'Tên mới của mô hình');
    await answer(leader, () => leader.text('Tổ liên gia số 5 hẻm 12A'), 'nay tên là “Tổ liên gia số 5 hẻm 12A”');
    expect(await app.database.models.auditLog.countDocuments({ action: 'model_renamed' })).toBe(1);

    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Thượng úy Hùng');
    expect(await answer(admin, () => admin.text(`/mohinh ${modelCode}`), 'Từ khi thành lập')).toContain('“Tổ liên gia số 5 hẻm 12A”');
    await answer(admin, () => admin.press('⛔ Giải thể'), 'Lý do giải thể');
    await answer(admin, () => admin.text('Hoạt động cầm chừng, sáp nhập vào tổ 6'), 'Đã giải thể mô hình');

    const late = await WebchatClient.open(app.url);
    expect((await late.say(`/start ${modelCode}`)).map((m) => m.text).join('\n')).not.toContain('Bạn đến từ mô hình');
    await answer(leader, () => leader.text('/hoatdong'), 'chưa là trưởng mô hình nào');
    expect(await app.database.models.modelMembers.countDocuments({})).toBe(2);
    const actions = (await app.database.models.auditLog.find({ action: /^model_/ }).lean()).map((a) => a.action);
    expect(new Set(actions)).toEqual(new Set(['model_created', 'model_leader_invited', 'model_leader_joined', 'model_activity_recorded', 'model_renamed', 'model_dissolved']));
  });
});
