import { randomBytes } from 'node:crypto';
import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { FakeZaloServer, ZALO_APP_ID, zaloSignature } from '../support/fake-zalo-server';
import { eventually, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';

const SECRET = 'corpus-secret';

/** Texts a hostile or broken client sends where a resident's words are expected. */
const NASTY_TEXTS: string[] = [
  '',
  ' ',
  '\u0000\u0001\u0002 control',
  'a'.repeat(25_000),
  '😀'.repeat(100_000),
  '\uD800 lone surrogate \uDFFF',
  '\u202Etxet LTR\u202C \u200B\u200B zero width',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '../../../../etc/passwd',
  '/baotin\u0000',
  '/' + 'x'.repeat(70),
  '/tracuu {"$ne": null}',
  '/bosung TB-AAAAAA ' + 'b'.repeat(5000),
  '/giahan TB-AAAAAA 99999999999999999999 lý do',
  '/phutrach cap-p4 phuong ' + 'q3-p4 '.repeat(500),
  '/thongke 99/99/9999 00/00/0000',
  '<script>alert(1)</script>',
  'SELECT * FROM reports; --',
  '%s%s%s%n',
  '\\u0000\\x00',
];

/** Shapes that are not what the endpoint expects. */
const NASTY_VALUES: unknown[] = [null, 0, -1, 1e308, true, [], {}, { $gt: '' }, [{ $where: 'x' }], 'x'.repeat(10_000), { a: { b: { c: { d: { e: { f: {} } } } } } }];

function deeplyNested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/**
 * Every entry point meets a corpus of hostile input: no crash, no 5xx for a
 * client's mistake, no unhandled rejection, and the service still serves a
 * resident afterwards. The count of inputs is printed.
 */
describe('a corpus of hostile input through every entry point', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let app: RunningApp;
  const statuses = new Map<string, number[]>();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    telegram = new FakeTelegramServer();
    zalo = new FakeZaloServer();
    const [apiRoot] = await Promise.all([telegram.start(), zalo.start()]);
    app = await startApp(
      testEnv('corpus', {
        TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/webhooks/telegram',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        ...zalo.serviceEnv(),
      }),
    );
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app.stop();
    await Promise.all([telegram.stop(), zalo.stop()]);
  });

  async function hit(entry: string, url: string, init: RequestInit): Promise<void> {
    const response = await fetch(`${app.url}${url}`, init);
    await response.arrayBuffer();
    statuses.set(entry, [...(statuses.get(entry) ?? []), response.status]);
  }

  const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  let updateId = 800_000;

  it('answers every input without a server error, and keeps serving', async () => {
    // Telegram webhook: texts in a real update, wrong shapes, unknown update types, broken JSON, nesting.
    const telegramHook = (body: string) => hit('telegram', '/webhooks/telegram', json(body, { 'x-telegram-bot-api-secret-token': SECRET }));
    const message = (fields: Record<string, unknown>) => ({ message_id: 1, date: 1_700_000_000, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'X' }, ...fields });
    for (const text of NASTY_TEXTS) await telegramHook(JSON.stringify({ update_id: updateId++, message: message({ text }) }));
    for (const value of NASTY_VALUES) {
      await telegramHook(JSON.stringify({ update_id: updateId++, message: message({ text: value }) }));
      await telegramHook(JSON.stringify({ update_id: updateId++, message: message({ chat: value }) }));
      await telegramHook(JSON.stringify({ update_id: updateId++, callback_query: { id: 'q', from: { id: 4242 }, data: value, message: { message_id: 1, chat: { id: 4242, type: 'private' } } } }));
      await telegramHook(JSON.stringify({ update_id: value, message: message({ text: 'hi' }) }));
      await telegramHook(JSON.stringify(value));
    }
    for (const data of ['d:not-a-report:accept', 'd:00000000-0000-0000-0000-000000000000:accept', 's:review:send', 'g:forget:yes', 'x'.repeat(64), '\u0000']) {
      await telegramHook(JSON.stringify({ update_id: updateId++, callback_query: { id: 'q', from: { id: 4242 }, data, message: { message_id: 1, chat: { id: 4242, type: 'private' } } } }));
    }
    await telegramHook(JSON.stringify({ update_id: updateId++, edited_message: message({ text: 'edited' }) }));
    await telegramHook(JSON.stringify({ update_id: updateId++, poll: { id: 'p' } }));
    await telegramHook('{"update_id": 1, "message": ');
    await telegramHook(deeplyNested(5000));
    await telegramHook('\uFEFF{}');

    // Zalo webhook: signed events with hostile content, and wrong shapes.
    const signed = (body: string) => {
      const timestamp = /"timestamp":"(\d+)"/.exec(body)?.[1] ?? '';
      return hit('zalo', '/webhooks/zalo', json(body, { 'x-zevent-signature': zaloSignature(body, timestamp) }));
    };
    const zaloEvent = (message: unknown, eventName = 'user_send_text') =>
      JSON.stringify({ app_id: ZALO_APP_ID, event_name: eventName, timestamp: String(Date.now()), sender: { id: '5151515151515151515' }, recipient: { id: '579745863508352884' }, message });
    for (const text of NASTY_TEXTS) await signed(zaloEvent({ msg_id: randomBytes(8).toString('hex'), text }));
    for (const value of NASTY_VALUES) {
      await signed(zaloEvent({ msg_id: randomBytes(8).toString('hex'), text: value }));
      await signed(zaloEvent(value));
      await signed(zaloEvent({ msg_id: randomBytes(8).toString('hex'), attachments: value }, 'user_send_image'));
      await signed(zaloEvent({ msg_id: randomBytes(8).toString('hex'), attachments: [{ type: 'location', payload: { coordinates: value } }] }, 'user_send_location'));
    }
    await signed(zaloEvent({ msg_id: 'x' }, 'some_future_event'));
    await hit('zalo', '/webhooks/zalo', json(zaloEvent({ msg_id: 'y', text: 'forged' }), { 'x-zevent-signature': 'mac=' + 'f'.repeat(64) }));
    await hit('zalo', '/webhooks/zalo', json(deeplyNested(5000)));

    // Web chat API: hostile messages in a session, wrong shapes, traversal, uploads, polling.
    // As a browser sends them: with the session's cookies and the CSRF token, so each input reaches what handles it.
    const browser = await WebchatClient.open(app.url);
    const asBrowser = (init: RequestInit, cookie = browser.cookieHeader): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), cookie, 'x-csrf-token': browser.writeHeaders()['x-csrf-token'] ?? '' } });
    const webchat = (path: string, init: RequestInit, cookie?: string) => hit('webchat', path, asBrowser(init, cookie));
    let n = 0;
    const id = () => `corpus${String(n++).padStart(6, '0')}`;
    for (const text of NASTY_TEXTS) await webchat('/api/webchat/messages', json(JSON.stringify({ id: id(), text: text.slice(0, 20_000) })));
    for (const value of NASTY_VALUES) {
      await webchat('/api/webchat/messages', json(JSON.stringify({ id: id(), text: value })));
      await webchat('/api/webchat/messages', json(JSON.stringify({ id: id(), text: 'x' })), `tinbao_chat=${encodeURIComponent(JSON.stringify(value))}; ${browser.cookieHeader.replace(/tinbao_chat=[^;]*;?\s*/, '')}`);
      await webchat('/api/webchat/messages', json(JSON.stringify({ sessionId: value, id: id(), text: 'x' })));
      await webchat('/api/webchat/messages', json(JSON.stringify({ id: value, text: 'x' })));
      await webchat('/api/webchat/messages', json(JSON.stringify({ id: id(), location: value })));
      await webchat('/api/webchat/messages', json(JSON.stringify(value)));
    }
    for (const query of ['after=-1', 'after[$gt]=', 'sessionId[$gt]=&after=0', 'after=1e400', 'after=../../etc', '']) {
      await webchat(`/api/webchat/messages?${query}`, { method: 'GET' });
    }
    for (const name of ['../../etc/passwd', '\u0000.jpg', 'a'.repeat(300), 'x.exe']) {
      await webchat(`/api/webchat/upload?id=${id()}&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('MZ not a photo') });
    }
    for (const path of ['/api/webchat/evidence/../../etc/passwd', '/api/webchat/evidence/not-a-uuid', '/api/webchat/files/%00', '/%2e%2e/%2e%2e/etc/passwd']) {
      await webchat(path, { method: 'GET' });
    }
    await webchat('/api/webchat/messages', json('{"id": '));
    await webchat('/api/webchat/messages', json(deeplyNested(5000)));
    await webchat('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(200_000) });
    // Without the CSRF token, or without a session: refused, never handled.
    await hit('webchat', '/api/webchat/messages', json(JSON.stringify({ id: id(), text: 'forged' }), { cookie: browser.cookieHeader }));
    await hit('webchat', '/api/webchat/messages', json(JSON.stringify({ id: id(), text: 'no session' })));

    const all = [...statuses.values()].flat();
    const serverErrors = [...statuses.entries()].flatMap(([entry, list]) => list.filter((s) => s >= 500).map((s) => `${entry}: ${s}`));
    process.stdout.write(`hostile corpus: ${all.length} inputs (${[...statuses.entries()].map(([entry, list]) => `${entry} ${list.length}`).join(', ')}), ${serverErrors.length} answered 5xx\n`);
    expect(serverErrors).toEqual([]);
    expect(all.length).toBeGreaterThan(240);

    // Zalo events are handled after their 200: wait for all of them, then look for unhandled rejections.
    await app.zalo?.drain();
    // Still serving: a resident is greeted.
    await telegramHook(JSON.stringify({ update_id: updateId++, message: { ...message({ text: '/start' }), chat: { id: 5252, type: 'private' }, from: { id: 5252, is_bot: false, first_name: 'Lan' } } }));
    await eventually('a resident is greeted after the corpus', () => telegram.textsTo(5252).length > 0);
    expect(unhandled).toEqual([]);
  });
});
