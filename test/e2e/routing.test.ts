import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { FakeZaloServer } from '../support/fake-zalo-server';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';
import { ZaloUser } from '../support/zalo-user';

const DESKS = { 'cap-p4': -7004, 'cap-p9': -7009, 'q3-drugs': -7100 } as const;
const INSIDE_P9 = { lat: 10.7795, lon: 106.682 };
const TAN_BINH = { lat: 10.8231, lon: 106.6297 };

/**
 * Where a tip goes is decided by the place the resident gives, however they
 * give it: a typed address naming its ward in any usual form, a map pin, or
 * the answer to "which ward?" when the place names none.
 */
describe('a tip reaches the units covering its place', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let app: RunningApp;
  let nextUser = 8100;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    zalo = new FakeZaloServer();
    const [apiRoot] = await Promise.all([telegram.start(), zalo.start()]);
    app = await startApp(testEnv('routing', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ...zalo.serviceEnv() }));
    for (const [unitId, chat] of Object.entries(DESKS)) {
      new TelegramUser(telegram, 9000 - chat, 'Trực ban', chat).text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === unitId)?.code}`);
      await eventually(`${unitId} desk registered`, () => telegram.textsTo(chat).some((t) => t.includes('bàn trực ban')));
    }
  });

  afterAll(async () => {
    await app.stop();
    await Promise.all([telegram.stop(), zalo.stop()]);
  });

  /** A Telegram resident at the "where" step of a drug tip. */
  async function atPlaceStep(): Promise<{ user: TelegramUser; answer: (act: () => number, next: string) => Promise<string> }> {
    const user = new TelegramUser(telegram, nextUser++, 'Cư dân');
    const answer = async (act: () => number, next: string): Promise<string> => {
      const before = telegram.textsTo(user.id).length;
      act();
      return eventually(`told “${next}”`, () => telegram.textsTo(user.id).slice(before).find((t) => t.includes(next)));
    };
    await answer(() => user.text('/baotin'), 'dữ liệu cá nhân');
    await answer(() => user.press('✅ Tôi đồng ý'), 'Bước 1/7');
    await answer(() => user.press('Ma túy'), 'Bước 2/7');
    await answer(() => user.text('Nhóm thanh niên tụ tập sử dụng ma túy mỗi tối.'), 'Bước 3/7');
    return { user, answer };
  }

  /** From the "when" step to the receipt; returns the review the resident read and the stored tip. */
  async function finish(user: TelegramUser, answer: (act: () => number, next: string) => Promise<string>) {
    await answer(() => user.press('Không rõ'), 'Bước 5/7');
    await answer(() => user.press('Bỏ qua'), 'Bước 6/7');
    await answer(() => user.press('Bỏ qua'), 'Bước 7/7');
    const review = await answer(() => user.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
    const receipt = await answer(() => user.press('📨 Gửi tin báo'), 'Mã biên nhận');
    const code = /TB-\w{6}/.exec(receipt)?.[0];
    const report = await app.reports.byCode(code ?? '');
    if (!report || !code) throw new Error('tip not stored');
    return { review, code, report };
  }

  const cardAt = (chat: number, code: string) => eventually(`card ${code} at ${chat}`, () => telegram.textsTo(chat).find((t) => t.includes(code)));

  it.each([
    ['hem 12 Tran Van Dang, phuong 4', 'hem 12 Tran Van Dang · Phường 4', 'cap-p4'],
    ['Chợ Bàn Cờ, phường 9', 'Chợ Bàn Cờ · Phường 9', 'cap-p9'],
    ['123 Nguyễn Đình Chiểu P4', '123 Nguyễn Đình Chiểu · Phường 4', 'cap-p4'],
    ['45/2 Kỳ Đồng, F.9, Quận 3', '45/2 Kỳ Đồng, Quận 3 · Phường 9', 'cap-p9'],
  ] as const)('a typed address "%s" goes to the ward police of its ward, and the card keeps street and ward', async (typed, place, unitId) => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.text(typed), 'Bước 4/7');
    const { review, code, report } = await finish(user, answer);
    expect(review).toContain(`Địa điểm: ${place}`);
    expect([...report.unitIds].sort()).toEqual([unitId, 'q3-drugs'].sort());
    expect(await cardAt(DESKS[unitId], code)).toContain(`Địa điểm: ${place}`);
    expect(await cardAt(DESKS['q3-drugs'], code)).toContain(`Địa điểm: ${place}`);
  });

  it('a ward typed with a word or two of filler is the ward itself', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.text('ở P9'), 'Bước 4/7');
    const { review, report } = await finish(user, answer);
    expect(review).toContain('Địa điểm: Phường 9\n');
    expect(report.location).toMatchObject({ kind: 'ward', wardId: 'q3-p9', address: null });
  });

  it('a map pin inside a ward goes to that ward without a question', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.location(INSIDE_P9.lat, INSIDE_P9.lon), 'Bước 4/7');
    const { review, code, report } = await finish(user, answer);
    expect(review).toContain('Địa điểm: Vị trí trên bản đồ (10.77950, 106.68200) · Phường 9');
    expect(report.location).toMatchObject({ kind: 'point', wardId: 'q3-p9', lat: INSIDE_P9.lat, lon: INSIDE_P9.lon });
    expect([...report.unitIds].sort()).toEqual(['cap-p9', 'q3-drugs']);
    await cardAt(DESKS['cap-p9'], code);
    await eventually('the pin itself reaches the desk', () => telegram.callsOf('sendLocation', DESKS['cap-p9']).some((c) => Number(c.params.latitude) === INSIDE_P9.lat));
  });

  it('a pin outside every ward is kept, and the bot asks once which ward; the answer routes it', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.location(TAN_BINH.lat, TAN_BINH.lon), 'Sự việc thuộc phường/xã nào?');
    const labels = telegram.lastButtons(user.id).map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(['Phường 4', 'Phường Võ Thị Sáu', 'Phường 14', 'Không rõ']));
    await answer(() => user.press('Phường 4'), 'Bước 4/7');
    const { review, report } = await finish(user, answer);
    expect(review).toContain('Địa điểm: Vị trí trên bản đồ (10.82310, 106.62970) · Phường 4');
    expect(report.location).toMatchObject({ kind: 'point', wardId: 'q3-p4', lat: TAN_BINH.lat });
    expect([...report.unitIds].sort()).toEqual(['cap-p4', 'q3-drugs']);
  });

  it('an address naming no ward is asked about; the ward can be typed, without diacritics', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.text('Chợ Bàn Cờ'), 'Sự việc thuộc phường/xã nào?');
    await answer(() => user.text('phuong vo thi sau'), 'Bước 4/7');
    const { review, report } = await finish(user, answer);
    expect(review).toContain('Địa điểm: Chợ Bàn Cờ · Phường Võ Thị Sáu');
    expect(report.unitIds).toContain('cap-vts');
  });

  it('only "Không rõ" leaves a tip without a ward, for the units covering all wards', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.text('Chợ Bàn Cờ'), 'Sự việc thuộc phường/xã nào?');
    await answer(() => user.press('Không rõ'), 'Bước 4/7');
    const { review, report } = await finish(user, answer);
    expect(review).toContain('Địa điểm: Chợ Bàn Cờ · chưa rõ phường/xã');
    expect(report.location.wardId).toBeNull();
    expect(report.unitIds).toEqual(['q3-drugs']);
  });

  it('the review shows the ward understood, and Sửa corrects it', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.text('hẻm 5 Lê Văn Sỹ, P14'), 'Bước 4/7');
    const { review } = await (async () => {
      await answer(() => user.press('Không rõ'), 'Bước 5/7');
      await answer(() => user.press('Bỏ qua'), 'Bước 6/7');
      await answer(() => user.press('Bỏ qua'), 'Bước 7/7');
      return { review: await answer(() => user.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại') };
    })();
    expect(review).toContain('Địa điểm: hẻm 5 Lê Văn Sỹ · Phường 14');
    await answer(() => user.press('✏️ Sửa'), 'sửa mục nào');
    await answer(() => user.press('Địa điểm'), 'Sự việc xảy ra ở đâu');
    const corrected = await answer(() => user.text('hẻm 5 Lê Văn Sỹ, P12'), 'Kiểm tra lại');
    expect(corrected).toContain('Địa điểm: hẻm 5 Lê Văn Sỹ · Phường 12');
  });

  it('a tip happening now: the resident is told to call 113 at once, and the card is marked first thing', async () => {
    const { user, answer } = await atPlaceStep();
    await answer(() => user.text('hẻm 12 Trần Văn Đang, P4'), 'Bước 4/7');
    const before = telegram.textsTo(user.id).length;
    await answer(() => user.press('Đang diễn ra'), 'Bước 5/7');
    const told = telegram.textsTo(user.id).slice(before);
    expect(told[0]).toContain('gọi ngay 113');
    await answer(() => user.press('Bỏ qua'), 'Bước 6/7');
    await answer(() => user.press('Bỏ qua'), 'Bước 7/7');
    await answer(() => user.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
    const receipt = await answer(() => user.press('📨 Gửi tin báo'), 'Mã biên nhận');
    const code = /TB-\w{6}/.exec(receipt)?.[0] ?? '?';
    expect((await cardAt(DESKS['cap-p4'], code)).startsWith('⚡ ĐANG DIỄN RA\n')).toBe(true);
  });

  it('on Zalo, a typed address and a pin are read the same way', async () => {
    const resident = new ZaloUser(app.url, zalo, '7712345678901234567');
    const tipTo = async (place: () => Promise<Response>, first = false): Promise<string[]> => {
      if (first) {
        await resident.step(() => resident.text('/baotin'), 'dữ liệu cá nhân');
        await resident.step(() => resident.press('✅ Tôi đồng ý'), 'Bước 1/7');
      } else {
        await resident.step(() => resident.text('/baotin'), 'Bước 1/7');
      }
      await resident.step(() => resident.press('Ma túy'), 'Bước 2/7');
      await resident.step(() => resident.text('Có người bán ma túy ở quán nước.'), 'Bước 3/7');
      await resident.step(place, 'Bước 4/7');
      await resident.step(() => resident.press('Không rõ'), 'Bước 5/7');
      await resident.step(() => resident.press('Bỏ qua'), 'Bước 6/7');
      await resident.step(() => resident.press('Bỏ qua'), 'Bước 7/7');
      await resident.step(() => resident.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
      await resident.step(() => resident.press('📨 Gửi tin báo'), 'Mã biên nhận');
      const code = /TB-\w{6}/.exec(zalo.textsTo(resident.id).filter((t) => t.includes('Mã biên nhận')).pop() ?? '')?.[0];
      const report = await app.reports.byCode(code ?? '');
      return [...(report?.unitIds ?? [])].sort();
    };
    expect(await tipTo(() => resident.text('123 Nguyễn Đình Chiểu P4'), true)).toEqual(['cap-p4', 'q3-drugs']);
    expect(await tipTo(() => resident.location(INSIDE_P9.lat, INSIDE_P9.lon))).toEqual(['cap-p9', 'q3-drugs']);
  });
});
