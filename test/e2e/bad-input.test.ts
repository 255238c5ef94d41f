import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { TelegramUser } from '../support/telegram-user';
import { eventually, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';

/** Bad input gets a clear, localized answer; nothing crashes and nothing is half-stored. */
describe('bad input', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('bad_input', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot }));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  async function atDescriptionStep(): Promise<WebchatClient> {
    const chat = await WebchatClient.open(app.url);
    await chat.say('/baotin');
    await chat.press('✅ Tôi đồng ý');
    await chat.press('Trộm cắp, cướp giật');
    return chat;
  }

  it('refuses a 10,000-character description, says the limit, and stays on the step', async () => {
    const chat = await atDescriptionStep();
    const replies = await chat.say('a'.repeat(10_000));
    expect(replies[0].text).toContain('10000 ký tự, tối đa 2000');
    expect(replies[1].text).toContain('Bước 2/7');
    const next = await chat.say('Xe máy bị lấy trộm trước cửa nhà.');
    expect(next[0].text).toContain('Bước 3/7');
  });

  it('stores operator-injection text as plain text and never as a query', async () => {
    const injection = '{"$gt": ""} và {"$where": "sleep(1000)"}';
    const chat = await atDescriptionStep();
    await chat.say(injection);
    await chat.say('{"$gt": ""}');
    await chat.press('Không rõ');
    await chat.press('Không rõ');
    await chat.press('Bỏ qua');
    await chat.say('{"$ne": null}');
    await chat.press('🕶 Gửi ẩn danh');
    const receipt = await chat.press('📨 Gửi tin báo');
    const code = /TB-\w{6}/.exec(receipt[0].text)?.[0];

    const report = await app.reports.byCode(code ?? '');
    expect(report).toMatchObject({ description: injection, location: { kind: 'address', address: '{"$gt": ""}' }, suspects: { text: '{"$ne": null}' } });
    const status = await chat.say('/tracuu {"$gt": ""}');
    expect(status[0].text).toContain('Không tìm thấy');
  });

  it('rejects JSON bodies with operators or unknown fields with 400', async () => {
    const chat = await WebchatClient.open(app.url);
    const post = (body: unknown): Promise<Response> => chat.request('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ sessionId: { $gt: '' }, id: 'abcdefgh1', text: 'hi' })).status).toBe(400);
    expect((await post({ id: 'abcdefgh2', text: { $gt: '' } })).status).toBe(400);
    expect((await post({ id: 'abcdefgh3', text: 'hi', $where: '1' })).status).toBe(400);
    const malformed = await chat.request('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'malformed_json' });
    const poll = await chat.request('/api/webchat/messages?after=%7B%22%24gt%22%3A0%7D');
    expect(poll.status).toBe(400);
  });

  it('refuses a program file as evidence with a clear message and keeps collecting', async () => {
    const chat = await atDescriptionStep();
    await chat.say('Bị giật điện thoại ở ngã tư.');
    await chat.press('Không nhớ địa điểm');
    await chat.press('Không rõ');
    await chat.press('Không rõ');
    const refused = await chat.upload(Buffer.from('MZ...'), 'application/x-msdownload', 'virus.exe');
    expect(refused[0].text).toContain('không nhận loại tệp này');
    const accepted = await chat.upload(Buffer.from('%PDF-1.4'), 'application/pdf', 'bien-ban.pdf');
    expect(accepted[0].text).toContain('1/10');
  });

  it('answers a sticker where text is expected, and media where none is expected, on Telegram', async () => {
    const reportsBefore = await app.database.models.reports.countDocuments({});
    const user = new TelegramUser(telegram, 8080, 'Bình');
    user.text('/baotin');
    await eventually('consent asked', () => telegram.lastButtons(user.id).length > 0);
    user.press('✅ Tôi đồng ý');
    await eventually('category asked', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 1/7')));
    user.press('Khác');
    await eventually('description asked', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 2/7')));

    user.sticker();
    await eventually('sticker answered', () => telegram.textsTo(user.id).some((t) => t.includes('nhãn dán')));
    user.document('doc-1', 'image/png', 'a.png', 10);
    await eventually('media refused at a text step', () => telegram.textsTo(user.id).some((t) => t.includes('hãy gõ chữ')));
    expect(await app.database.models.reports.countDocuments({})).toBe(reportsBefore);
  });

  it('refuses an oversized file before downloading it', async () => {
    const user = new TelegramUser(telegram, 8181, 'Cúc');
    user.text('/baotin');
    await eventually('consent asked', () => telegram.lastButtons(user.id).length > 0);
    user.press('✅ Tôi đồng ý');
    await eventually('categories', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 1/7')));
    user.press('Khác');
    await eventually('step 2', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 2/7')));
    user.text('Có người lạ đột nhập kho hàng.');
    await eventually('step 3', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 3/7')));
    user.press('Không nhớ địa điểm');
    await eventually('ward question', () => telegram.textsTo(user.id).some((t) => t.includes('phường/xã nào')));
    user.press('Không rõ');
    await eventually('step 4', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 4/7')));
    user.press('Không rõ');
    await eventually('step 5', () => telegram.textsTo(user.id).some((t) => t.includes('Bước 5/7')));
    user.photo('huge-photo', 50 * 1024 * 1024);
    await eventually('too large', () => telegram.textsTo(user.id).some((t) => t.includes('Tệp quá lớn')));
    expect(telegram.callsOf('getFile').filter((c) => c.params.file_id === 'huge-photo')).toHaveLength(0);
  });
});
