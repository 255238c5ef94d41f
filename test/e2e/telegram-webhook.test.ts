import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { eventually, testDatabaseUri, testEnv } from '../support/test-env';

const SECRET = 'hook-secret_42';

/** The service in webhook mode against a fresh fake Bot API. */
async function startInWebhookMode(label: string, extra: Record<string, string> = {}): Promise<{ telegram: FakeTelegramServer; app: RunningApp }> {
  const telegram = new FakeTelegramServer();
  const apiRoot = await telegram.start();
  const app = await startApp(
    testEnv(label, {
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/webhooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ...extra,
    }),
  );
  return { telegram, app };
}

describe('Telegram webhook mode', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    ({ telegram, app } = await startInWebhookMode('tg_hook'));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  function deliver(body: string, secret: string | null = SECRET): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
    return fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers, body });
  }

  function textUpdate(updateId: number, chatId: number, text: string): string {
    return JSON.stringify({
      update_id: updateId,
      message: { message_id: updateId, date: 1_700_000_000, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Hà' }, text },
    });
  }

  it('registers the webhook with its secret at start', () => {
    const call = telegram.callsOf('setWebhook')[0];
    expect(call.params).toMatchObject({ url: 'https://bot.example.org/webhooks/telegram', secret_token: SECRET });
  });

  it('rejects an update with a wrong or missing secret with 401 and processes nothing', async () => {
    expect((await deliver(textUpdate(1, 900, '/start'), 'wrong')).status).toBe(401);
    expect((await deliver(textUpdate(2, 900, '/start'), null)).status).toBe(401);
    expect((await deliver('{"update_id": ', 'wrong')).status).toBe(401);
    expect(telegram.textsTo(900)).toEqual([]);
    expect(await app.database.models.inbox.countDocuments({})).toBe(0);
  });

  it('answers 200 to updates of the wrong shape, sends nothing for them and keeps serving', async () => {
    const message = (fields: Record<string, unknown>) => ({ message_id: 1, date: 1_700_000_000, chat: { id: 950, type: 'private' }, from: { id: 950, is_bot: false, first_name: 'Hà' }, ...fields });
    const broken = [
      { update_id: 9101, message: message({ text: 12345 }) },
      { update_id: 9102, message: message({ text: { $gt: '' } }) },
      { update_id: 9103, message: message({ text: null }) },
      { update_id: 9104, message: message({ chat: { id: { $ne: null }, type: 'private' }, text: '/start' }) },
      { update_id: 9105, message: message({ chat: null, text: '/start' }) },
      { update_id: 9106, message: message({ location: { latitude: 'north', longitude: 106 } }) },
      { update_id: 9107, callback_query: { id: 'q', from: { id: 950 }, data: { $gt: '' }, message: { message_id: 1, chat: { id: 950, type: 'private' } } } },
      { update_id: 9108, message: 'hello' },
    ];
    for (const update of broken) expect((await deliver(JSON.stringify(update))).status).toBe(200);
    // Answered once each, never retried; nothing went to a chat called "[object Object]" or "null".
    const chats = telegram.calls.map((c) => String(c.params.chat_id));
    expect(chats).not.toContain('[object Object]');
    expect(chats).not.toContain('null');
    expect(telegram.textsTo(950)).toEqual([]);

    expect((await deliver(textUpdate(9109, 950, '/start'))).status).toBe(200);
    await eventually('a well-formed update is still answered', () => telegram.textsTo(950).length > 0);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await deliver('{"update_id": 3, "message": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed_json' });
  });

  it('answers a JSON body that is not an update with 400, including operator injection', async () => {
    expect((await deliver('{"update_id": {"$gt": ""}}')).status).toBe(400);
    expect((await deliver('[1,2,3]')).status).toBe(400);
    expect((await deliver('"hello"')).status).toBe(400);
  });

  it('handles a redelivered update (same update_id) once', async () => {
    const body = textUpdate(77, 901, '/start');
    const first = await deliver(body);
    const second = await deliver(body);
    expect([first.status, second.status]).toEqual([200, 200]);
    await eventually('greeting', () => telegram.textsTo(901).length >= 2);
    // Quiet: a later update's answer comes after anything the duplicate could still have caused.
    expect((await deliver(textUpdate(78, 901, '/trogiup'))).status).toBe(200);
    await eventually('a later answer', () => telegram.textsTo(901).some((t) => t.includes('Các lệnh')));
    expect(telegram.textsTo(901).filter((t) => !t.includes('Các lệnh'))).toHaveLength(2);
    expect(await app.database.models.inbox.countDocuments({ _id: 'telegram:77' })).toBe(1);
  });

  it('answers 500 when an update could not be handled, so Telegram delivers it again, and the retry succeeds', async () => {
    const body = textUpdate(88, 902, '/start');
    telegram.failCallsTo(902, 2); // the reply and the apology both fail: Telegram is unreachable for this chat
    expect((await deliver(body)).status).toBe(500);
    expect(telegram.textsTo(902)).toEqual([]);

    const retry = await deliver(body);
    expect(retry.status).toBe(200);
    await eventually('greeting after retry', () => telegram.textsTo(902).length >= 2);
    expect(telegram.textsTo(902)[0]).toContain('113');
  });
});

describe('an update whose first handling died before its replies went out', () => {
  const telegram = new FakeTelegramServer();
  const apps: RunningApp[] = [];
  const uri = testDatabaseUri('tg_died');
  const CHAT = 4711;

  afterAll(async () => {
    await telegram.stop();
    await Promise.all(apps.map((app) => app.stop()));
  });

  async function instance(clock: () => Date = () => new Date()): Promise<RunningApp> {
    const apiRoot = telegram.apiRoot;
    const env = testEnv('tg_died', {
      MONGODB_URI: uri,
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/webhooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_HTTP_TIMEOUT_MS: '60000',
    });
    const app = await startApp(env, { clock });
    apps.push(app);
    return app;
  }

  const deliver = (app: RunningApp, body: string) =>
    fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body });

  it('is refused (so Telegram delivers it again) until its lease is over, then its stored replies are said once', async () => {
    await telegram.start();
    const dying = await instance();
    const other = await instance();
    const later = await instance(() => new Date(Date.now() + 61_000));
    const body = JSON.stringify({ update_id: 5150, message: { message_id: 5150, date: 1_700_000_000, chat: { id: CHAT, type: 'private' }, from: { id: CHAT, is_bot: false, first_name: 'Lan' }, text: '/start' } });

    // The first instance saves the turn, then hangs sending its reply: as good as dead, its answer to Telegram never comes.
    telegram.hangCallsTo(CHAT, 1);
    void deliver(dying, body).catch(() => undefined);
    await eventually('the reply on the wire', () => telegram.calls.some((c) => Number(c.params.chat_id) === CHAT && c.failed));

    // Redelivered within the lease: not acknowledged, so Telegram tries again; nothing is sent.
    expect((await deliver(other, body)).status).toBe(500);
    const delivered = () => telegram.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === CHAT && !c.failed);
    expect(delivered()).toEqual([]);

    // Redelivered past the lease: the stored replies, once.
    expect((await deliver(later, body)).status).toBe(200);
    await eventually('the greeting said again', () => delivered().length > 0);
    // And once more: a plain duplicate now, acknowledged with nothing sent (the next update's answer is the later event).
    expect((await deliver(later, body)).status).toBe(200);
    const next = JSON.stringify({ update_id: 5151, message: { message_id: 5151, date: 1_700_000_001, chat: { id: CHAT, type: 'private' }, from: { id: CHAT, is_bot: false, first_name: 'Lan' }, text: '/help' } });
    expect((await deliver(later, next)).status).toBe(200);
    await eventually('the next answer', () => delivered().some((c) => String(c.params.text).includes('Các lệnh')));
    expect(delivered().filter((c) => String(c.params.text).includes('Xin chào'))).toHaveLength(1);
  }, 60_000);
});

describe('one chat flooding the bot', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    ({ telegram, app } = await startInWebhookMode('tg_flood', { CHAT_MESSAGES_PER_MINUTE: '20' }));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const update = (updateId: number, chatId: number, text: string) =>
    fetch(`${app.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: updateId, message: { message_id: updateId, date: 1_700_000_000, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'X' }, text } }),
    });

  /** Waits until a count stops changing (nothing more on its way), then returns it. */
  async function settled(count: () => number): Promise<number> {
    let last = -1;
    let stable = 0;
    while (stable < 4) {
      const now = count();
      stable = now === last ? stable + 1 : 0;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return last;
  }

  it('answers 200 to all 300 messages, handles the first 20, tells the sender once, and keeps serving another resident', async () => {
    const FLOODER = 7770;
    const OTHER = 7771;
    const flood = Array.from({ length: 300 }, (_, i) => update(50_000 + i, FLOODER, `spam ${i}`));
    const other = update(60_000, OTHER, '/start');
    const answers = await Promise.all([...flood, other]);
    expect(answers.every((a) => a.status === 200)).toBe(true);

    await eventually('the other resident is greeted', () => telegram.textsTo(OTHER).length > 0);
    await eventually('the flooder is told once', () => telegram.textsTo(FLOODER).some((t) => t.includes('quá nhiều tin nhắn')));
    await settled(() => telegram.textsTo(FLOODER).length);
    expect(telegram.textsTo(FLOODER).filter((t) => t.includes('quá nhiều tin nhắn'))).toHaveLength(1);
    // Only the first 20 reached the engine: each recorded its key once, the rest touched no database.
    const handled = await app.database.models.inbox.countDocuments({ _id: { $regex: '^telegram:5' } });
    expect(handled).toBe(20);
  });
});
