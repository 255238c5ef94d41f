import { startApp, type RunningApp } from '../../src/app';
import { deskPayload } from '../../src/core/payloads';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { fileTelegramTip } from '../support/file-tip';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';

const DESK = -1_202_001;

/**
 * A Bot API call that never answers is abandoned after
 * TELEGRAM_HTTP_TIMEOUT_MS and handled like any failed call: the desk card
 * and the reporter's notice are sent again, and arrive once.
 */
describe('a Telegram Bot API that hangs', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    await telegram.start();
    app = await startApp(testEnv('telegram_timeouts', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_HTTP_TIMEOUT_MS: '400' }));
    new TelegramUser(telegram, 9_202_001, 'Cán bộ', DESK).text(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    await eventually('desk registered', () => telegram.textsTo(DESK).some((t) => t.includes('bàn trực ban')));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const delivered = (chat: number, words: string): number =>
    telegram.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chat && !c.failed && String(c.params.text).includes(words)).length;

  it('gives up on the hung call, sends the card again, and the desk gets it once', async () => {
    telegram.hangCallsTo(DESK, 1);
    const resident = new TelegramUser(telegram, 5_202_001, 'Hòa');
    const code = await fileTelegramTip(telegram, resident, { category: 'Ma túy', description: 'Có người bán ma túy ở đầu hẻm mỗi tối.', ward: 'Phường 4' });
    await eventually('card delivered after the hung call', () => delivered(DESK, code) > 0, 15_000);
    expect(telegram.calls.filter((c) => c.failed && Number(c.params.chat_id) === DESK)).toHaveLength(1);

    // The reporter's notice hangs too, and arrives once.
    const report = await app.database.models.reports.findOne({ code }, { _id: 1 }).lean();
    telegram.hangCallsTo(resident.id, 1);
    new TelegramUser(telegram, 9_202_002, 'Phong', DESK).pressData(deskPayload(report?._id ?? '', 'accept'));
    await eventually(
      'notice delivered after the hung call',
      async () => {
        await app.notices.flush();
        return delivered(resident.id, 'tiếp nhận và đang xác minh') > 0;
      },
      15_000,
    );
    // Quiet: a later message to the desk has gone through, and the card and notice are still one each.
    const sent = telegram.calls.length;
    new TelegramUser(telegram, 9_202_001, 'Cán bộ', DESK).text('/donvi');
    await eventually('a later answer at the desk', () => telegram.calls.slice(sent).some((c) => Number(c.params.chat_id) === DESK && !c.failed));
    expect(telegram.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === DESK && !c.failed && String(c.params.text).includes('Có người bán ma túy'))).toHaveLength(1);
    expect(delivered(resident.id, 'tiếp nhận và đang xác minh')).toBe(1);
  }, 60_000);
});
