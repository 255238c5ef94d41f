import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { fileTelegramDispute } from '../support/file-dispute';
import { fileTelegramTip } from '../support/file-tip';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';

const DUTY_DESK = -8001;
const VTS_DESK = -8002;
const SYSTEM_ADMIN = 8500;

/**
 * A case routed to a unit that has no desk yet never waits unseen: the
 * fallback unit's desk gets its card at once, saying whose it is, and the
 * unit's own desk gets it when it registers. /donvi and the start-up banner
 * show which units have no desk.
 */
describe('cases for units without a desk', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;
  let nextResident = 8600;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('deskless', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ADMIN_TELEGRAM_IDS: String(SYSTEM_ADMIN) }));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const codeOf = (unitId: string) => app.unitInviteCodes.find((u) => u.unitId === unitId)?.code;
  async function registerDesk(chat: number, unitId: string): Promise<void> {
    new TelegramUser(telegram, 9000 - chat, 'Trực ban', chat).text(`/trucban ${codeOf(unitId)}`);
    await eventually(`${unitId} desk registered`, () => telegram.textsTo(chat).some((t) => t.includes('bàn trực ban')));
  }
  const cardIn = (chat: number, code: string) => eventually(`card ${code} in ${chat}`, () => telegram.callsOf('sendMessage', chat).find((c) => String(c.params.text).includes(code)));
  const buttonsOf = (call: { params: Record<string, unknown> }) => JSON.stringify(call.params.reply_markup ?? {});

  it('lists every unit as without a desk at start-up', () => {
    expect(app.unitsWithoutDesk).toEqual(expect.arrayContaining(['Công an Phường Võ Thị Sáu', 'Trực ban Công an Quận 3', 'Tổ hòa giải Phường 4']));
  });

  it('a tip filed before any desk exists reaches the fallback desk when it registers, for the unit it is meant for', async () => {
    const code = await fileTelegramTip(telegram, new TelegramUser(telegram, nextResident++, 'Cư dân'), { category: 'Trộm cắp, cướp giật', description: 'Trộm xe đạp trước cổng trường.', ward: 'Phường Võ Thị Sáu' });
    await registerDesk(DUTY_DESK, 'q3-duty');
    const card = await cardIn(DUTY_DESK, code);
    expect(String(card.params.text)).toContain('GỬI THAY: tin này dành cho Công an Phường Võ Thị Sáu');
  });

  it('sends a new tip for a deskless unit at once to the fallback desk, read-only and saying whose it is; the unit gets it when it registers', async () => {
    const code = await fileTelegramTip(telegram, new TelegramUser(telegram, nextResident++, 'Cư dân'), { category: 'Cờ bạc, lô đề', description: 'Sòng bạc trong nhà số 7.', ward: 'số 7 Bà Huyện Thanh Quan, P. VTS' });
    const standIn = await cardIn(DUTY_DESK, code);
    expect(String(standIn.params.text)).toContain('GỬI THAY: tin này dành cho Công an Phường Võ Thị Sáu, đơn vị chưa có bàn trực');
    expect(String(standIn.params.text)).toContain('Địa điểm: số 7 Bà Huyện Thanh Quan · Phường Võ Thị Sáu');
    expect(buttonsOf(standIn)).not.toContain('Tiếp nhận');

    await registerDesk(VTS_DESK, 'cap-vts');
    const own = await cardIn(VTS_DESK, code);
    expect(String(own.params.text)).not.toContain('GỬI THAY');
    expect(buttonsOf(own)).toContain('Tiếp nhận');
  });

  it('does the same for a dispute whose mediation team has no desk', async () => {
    const code = await fileTelegramDispute(telegram, new TelegramUser(telegram, nextResident++, 'Chị Hoa'), {
      kind: 'Tiếng ồn',
      description: 'Nhà bên cạnh hát karaoke đến 1 giờ sáng mỗi đêm.',
      otherParty: 'Hộ số 14, anh Tùng',
      ward: 'P4',
      address: '12 Trần Văn Đang',
      phone: '0903123456',
      nameAndYear: 'Nguyễn Thị Hoa, 1980',
      desired: 'Hát nhỏ lại sau 22 giờ',
    });
    const standIn = await cardIn(DUTY_DESK, code);
    expect(String(standIn.params.text)).toContain('GỬI THAY: tin này dành cho Tổ hòa giải Phường 4');
  });

  it('/donvi shows each unit’s desks and how many of its cases wait', async () => {
    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Admin');
    admin.text('/donvi');
    const list = await eventually('unit list', () => telegram.textsTo(SYSTEM_ADMIN).find((t) => t.includes('Đơn vị và phạm vi')));
    const block = (name: string) => list.split('\n\n').find((b) => b.startsWith(`${name} (`)) ?? '';
    expect(block('Công an Phường Võ Thị Sáu')).toContain('Bàn trực: 1 bàn · Tin chờ tiếp nhận: 2');
    expect(block('Tổ hòa giải Phường 4')).toContain('Bàn trực: ⚠️ chưa có bàn nào');
    expect(block('Tổ hòa giải Phường 4')).toContain('Tin chờ tiếp nhận: 1');
    expect(block('Công an Phường 9')).toContain('chưa có bàn nào');
  });
});
