import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot API call the bot made, with its parameters (JSON or multipart, files as byte counts). */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Names of multipart fields that carried an uploaded file. */
  uploads: string[];
  /** The uploaded files' bytes, by field name (to open an exported file in a test). */
  files: Record<string, Buffer>;
  /** True when the fake answered with an error (see failCallsTo). */
  failed: boolean;
}

interface Waiter {
  offset: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export const FAKE_BOT_TOKEN = '123456:TEST-token';
/** Sends that Telegram's limits (and the injected 429s and blocks) apply to. */
const COUNTED_SENDS = new Set(['sendMessage', 'sendPhoto']);
export const BOT_USER = { id: 123456, is_bot: true, first_name: 'Tin báo', username: 'tinbao_test_bot' };

/**
 * A small Bot API server on 127.0.0.1 that speaks enough of Telegram for the
 * bot: getMe, getUpdates (long polling), setWebhook/deleteWebhook, the send*
 * methods, editMessage*, answerCallbackQuery, copy/forwardMessage, getFile and
 * file download. Tests push updates as a resident would produce them and read
 * back what the bot sent.
 */
export class FakeTelegramServer {
  readonly calls: ApiCall[] = [];
  private readonly server = http.createServer((req, res) => void this.route(req, res));
  private updates: Record<string, unknown>[] = [];
  private waiters: Waiter[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private readonly files = new Map<string, Buffer>();
  /** Chats whose next N calls fail with a 502, to test retries. */
  private readonly failNext = new Map<string, number>();
  private readonly hangNext = new Map<string, number>();
  private readonly hung: ServerResponse[] = [];
  /** While set, every send or edit fails, in turn: 502, 429 with retry_after, a timeout-length hang cut short (504). */
  private storm = false;
  private stormTurn = 0;
  /** Group admins, by chat: getChatMember answers "administrator" for them. */
  readonly chatAdmins = new Map<string, Set<string>>();
  /** Chats that blocked the bot (or removed it): sends get 403. */
  readonly blockedChats = new Set<string>();
  /** How many of the next sendMessage calls get 429 Too Many Requests, and with which retry_after. */
  private tooManyNext = { count: 0, retryAfterS: 1 };
  /** Telegram's limits, enforced when set: a send over them gets 429 and is counted. */
  limits: { perSecond: number; chatIntervalMs: number } | null = null;
  limitViolations = 0;
  /** Share of sendMessage calls refused with 429 at random (the benchmark's 1%). */
  random429Rate = 0;
  /** file_ids this bot may not use (made under another token): sendPhoto with one gets 400. */
  readonly staleFileIds = new Set<string>();
  private nextUploadId = 1;
  /** Keep only counts, not every call (a 100,000-recipient benchmark). */
  countOnly = false;
  readonly sentCount = new Map<string, number>();
  private readonly sendTimes: number[] = [];
  private readonly lastSendByChat = new Map<string, number>();

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.apiRoot;
  }

  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      this.reply(waiter.res, []);
    }
    this.waiters = [];
    // Answered late, as if they had gone through, so their callers finish. Cutting a connection at once would drop the answer unread: it gets a moment first (teardown only).
    const hung = this.hung.splice(0);
    for (const res of hung) this.reply(res, { message_id: 0, date: 0, chat: { id: 0, type: 'private' } });
    if (hung.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues an update for getUpdates and returns its update_id. */
  pushUpdate(update: Record<string, unknown>): number {
    const updateId = this.nextUpdateId++;
    this.updates.push({ update_id: updateId, ...update });
    this.flushWaiters();
    return updateId;
  }

  /** Makes the next `count` calls addressed to this chat fail, as an unreachable Bot API would. */
  failCallsTo(chatId: number | string, count: number): void {
    this.failNext.set(String(chatId), count);
  }

  /** Every send and edit fails until `calm()`: a Bot API outage with 5xx and 429 storms. */
  startStorm(): void {
    this.storm = true;
  }

  calm(): void {
    this.storm = false;
  }

  /** The next `count` calls for this chat are accepted and never answered (a Bot API that hangs). */
  hangCallsTo(chatId: number | string, count: number): void {
    this.hangNext.set(String(chatId), count);
  }

  /** The next `count` sendMessage calls are refused with 429 and retry_after. */
  tooManyRequests(count: number, retryAfterS = 1): void {
    this.tooManyNext = { count, retryAfterS };
  }

  addFile(fileId: string, bytes: Buffer): void {
    this.files.set(fileId, bytes);
  }

  callsOf(method: string, chatId?: number | string): ApiCall[] {
    return this.calls.filter((c) => !c.failed && c.method === method && (chatId === undefined || String(c.params.chat_id) === String(chatId)));
  }

  /** Pictures the bot sent to a chat: the file_id used (null for an upload) and the caption. */
  photosTo(chatId: number | string): { fileId: string | null; caption: string | null }[] {
    return this.callsOf('sendPhoto', chatId).map((c) => ({ fileId: c.uploads.includes('photo') ? null : String(c.params.photo), caption: typeof c.params.caption === 'string' ? c.params.caption : null }));
  }

  /** Texts the bot sent to a chat, in order. */
  textsTo(chatId: number | string): string[] {
    return this.callsOf('sendMessage', chatId).map((c) => String(c.params.text));
  }

  /** The inline buttons of the last message to a chat that had any. */
  lastButtons(chatId: number | string): { text: string; callback_data: string }[] {
    const withButtons = this.callsOf('sendMessage', chatId).filter((c) => inlineKeyboard(c.params).length > 0);
    const last = withButtons[withButtons.length - 1];
    return last ? inlineKeyboard(last.params).flat() : [];
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname);
    if (file) {
      const fileId = decodeURIComponent(file[1]).replace(/^files\//, '');
      const bytes = this.files.get(fileId);
      res.writeHead(bytes ? 200 : 404).end(bytes ?? 'not found');
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!match || match[1] !== FAKE_BOT_TOKEN) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
      return;
    }
    const method = match[2];
    const { params, uploads, files } = await readParams(req);
    const call: ApiCall = { method, params, uploads, files, failed: false };
    if (!this.countOnly) this.calls.push(call);

    const chat = String(params.chat_id ?? '');
    if (this.storm && /^(send|edit|copy|forward)/.test(method)) {
      call.failed = true;
      this.stormTurn += 1;
      if (this.stormTurn % 3 === 1) res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } }));
      else res.writeHead(this.stormTurn % 3 === 2 ? 502 : 504, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 502, description: 'Bad Gateway' }));
      return;
    }
    const hangs = this.hangNext.get(chat) ?? 0;
    if (hangs > 0) {
      this.hangNext.set(chat, hangs - 1);
      call.failed = true;
      // Held open until the caller gives up, or the server stops (then answered, late, as if it had gone through).
      res.socket?.setTimeout(0);
      this.hung.push(res);
      return;
    }
    const failures = this.failNext.get(chat) ?? 0;
    if (failures > 0) {
      this.failNext.set(chat, failures - 1);
      call.failed = true;
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 502, description: 'Bad Gateway' }));
      return;
    }
    if (method === 'sendPhoto' && this.staleFileIds.has(String(params.photo))) {
      call.failed = true;
      this.error(res, 400, 'Bad Request: wrong file identifier/HTTP URL specified');
      return;
    }
    if (COUNTED_SENDS.has(method) && this.refuseSend(chat, res)) {
      call.failed = true;
      return;
    }
    if (COUNTED_SENDS.has(method)) this.sentCount.set(chat, (this.sentCount.get(chat) ?? 0) + 1);
    this.answer(method, params, res);
  }

  /** Blocked chats, injected 429s, and the rate limits when enforced. */
  private refuseSend(chat: string, res: ServerResponse): boolean {
    if (this.blockedChats.has(chat)) {
      this.error(res, 403, 'Forbidden: bot was blocked by the user');
      return true;
    }
    if (this.random429Rate > 0 && Math.random() < this.random429Rate) {
      this.tooMany(res, 1);
      return true;
    }
    if (this.tooManyNext.count > 0) {
      this.tooManyNext.count -= 1;
      this.tooMany(res, this.tooManyNext.retryAfterS);
      return true;
    }
    if (!this.limits) return false;
    const now = Date.now();
    while (this.sendTimes.length > 0 && this.sendTimes[0] <= now - 1000) this.sendTimes.shift();
    const last = this.lastSendByChat.get(chat);
    if (this.sendTimes.length >= this.limits.perSecond || (last !== undefined && now - last < this.limits.chatIntervalMs)) {
      this.limitViolations += 1;
      this.tooMany(res, 1);
      return true;
    }
    this.sendTimes.push(now);
    this.lastSendByChat.set(chat, now);
    return false;
  }

  private tooMany(res: ServerResponse, retryAfterS: number): void {
    res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfterS}`, parameters: { retry_after: retryAfterS } }));
  }

  private answer(method: string, params: Record<string, unknown>, res: ServerResponse): void {
    switch (method) {
      case 'getMe':
        return this.reply(res, BOT_USER);
      case 'getUpdates':
        return this.getUpdates(params, res);
      case 'setWebhook':
      case 'deleteWebhook':
      case 'answerCallbackQuery':
        return this.reply(res, true);
      case 'getFile': {
        const fileId = String(params.file_id);
        const bytes = this.files.get(fileId);
        if (!bytes) return this.error(res, 400, 'Bad Request: invalid file_id');
        return this.reply(res, { file_id: fileId, file_unique_id: fileId, file_size: bytes.length, file_path: `files/${fileId}` });
      }
      case 'getChatMember': {
        const admin = this.chatAdmins.get(String(params.chat_id))?.has(String(params.user_id)) ?? false;
        return this.reply(res, { status: admin ? 'administrator' : 'member', user: { id: Number(params.user_id), is_bot: false, first_name: 'x' } });
      }
      case 'copyMessage':
        return this.reply(res, { message_id: this.nextMessageId++ });
      case 'sendPhoto': {
        // An upload gets a new file_id; a file_id sent is kept, as Telegram does.
        const fileId = typeof params.photo === 'string' ? params.photo : `uploaded-${this.nextUploadId++}`;
        return this.reply(res, { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: 'private' }, from: BOT_USER, caption: params.caption, photo: [{ file_id: `${fileId}-small`, file_unique_id: 's', width: 90, height: 90 }, { file_id: fileId, file_unique_id: fileId, width: 800, height: 600 }] });
      }
      case 'sendMessage':
      case 'sendVideo':
      case 'sendVoice':
      case 'sendAudio':
      case 'sendDocument':
      case 'sendLocation':
      case 'forwardMessage':
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return this.reply(res, {
          message_id: method.startsWith('edit') ? Number(params.message_id) : this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(params.chat_id), type: 'private' },
          from: BOT_USER,
          text: typeof params.text === 'string' ? params.text : undefined,
        });
      default:
        return this.error(res, 404, `Not Found: method ${method} is not faked`);
    }
  }

  private getUpdates(params: Record<string, unknown>, res: ServerResponse): void {
    const offset = Number(params.offset ?? 0);
    this.updates = this.updates.filter((u) => Number(u.update_id) >= offset);
    if (this.updates.length > 0) return this.reply(res, this.updates.slice(0, Number(params.limit ?? 100)));
    const waitMs = Math.min(Number(params.timeout ?? 0), 2) * 1000;
    const waiter: Waiter = { offset, res, timer: setTimeout(() => this.release(waiter), waitMs) };
    this.waiters.push(waiter);
  }

  private release(waiter: Waiter): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
    this.reply(waiter.res, this.updates.filter((u) => Number(u.update_id) >= waiter.offset));
  }

  private flushWaiters(): void {
    for (const waiter of [...this.waiters]) {
      clearTimeout(waiter.timer);
      this.release(waiter);
    }
  }

  private reply(res: ServerResponse, result: unknown): void {
    if (res.writableEnded) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
  }

  private error(res: ServerResponse, code: number, description: string): void {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: code, description }));
  }
}

function inlineKeyboard(params: Record<string, unknown>): { text: string; callback_data: string }[][] {
  const markup = typeof params.reply_markup === 'string' ? (JSON.parse(params.reply_markup) as unknown) : params.reply_markup;
  const keyboard = (markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard;
  return keyboard ?? [];
}

async function readParams(req: IncomingMessage): Promise<{ params: Record<string, unknown>; uploads: string[]; files: Record<string, Buffer> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return { params: {}, uploads: [], files: {} };
  if (type.includes('application/json')) return { params: JSON.parse(body.toString('utf8')) as Record<string, unknown>, uploads: [], files: {} };
  // multipart/form-data (file uploads) or urlencoded: let the platform's own parser read it.
  const form = await new Response(body, { headers: { 'content-type': type } }).formData();
  const params: Record<string, unknown> = {};
  const uploads: string[] = [];
  const files: Record<string, Buffer> = {};
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, key) => entries.push([key, value]));
  for (const [key, value] of entries) {
    if (typeof value === 'string') {
      params[key] = value;
    } else {
      params[key] = { fileName: value.name, size: value.size };
      uploads.push(key);
      files[key] = Buffer.from(await value.arrayBuffer());
    }
  }
  return { params, uploads, files };
}
