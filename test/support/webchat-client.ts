import { randomBytes } from 'node:crypto';
import type { WebchatMessage } from '../../src/channels/webchat/webchat-channel';

/**
 * A person using the web chat, through the same HTTP API the page uses, as
 * a browser does: the session and the CSRF secret are cookies kept here, and
 * every write carries the CSRF token the session call returned.
 */
export class WebchatClient {
  private seen = 0;
  private counter = 0;
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  private constructor(private readonly baseUrl: string) {}

  static async open(baseUrl: string): Promise<WebchatClient> {
    const client = new WebchatClient(baseUrl);
    await client.startSession();
    return client;
  }

  /** The session id, as the server knows this browser (a desk's chat id): read from the cookie, as a spec may need it. */
  get sessionId(): string {
    return this.cookies.get('tinbao_chat') ?? '';
  }

  /** The Cookie header this browser sends. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Headers of a write from this browser: its cookies and its CSRF token. */
  writeHeaders(contentType = 'application/json'): Record<string, string> {
    return { 'content-type': contentType, cookie: this.cookieHeader, 'x-csrf-token': this.csrfToken };
  }

  /** A request from this browser: its cookies, and for a write its CSRF token; cookies the answer sets are kept. */
  async request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> } = {}): Promise<Response> {
    const method = init.method ?? 'GET';
    const headers = { cookie: this.cookieHeader, ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrfToken }), ...init.headers };
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: init.body });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), value);
    }
    return response;
  }

  async startSession(): Promise<void> {
    const response = await this.request('/api/webchat/sessions', { method: 'POST' });
    this.csrfToken = ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  private nextId(): string {
    this.counter += 1;
    return `m-${this.counter}-${randomBytes(4).toString('hex')}`;
  }

  /** Sends text and returns the bot's new messages. */
  async say(text: string): Promise<WebchatMessage[]> {
    await this.post({ text });
    return this.newMessages();
  }

  /** Presses the button with this label among the bot's latest buttons. */
  async press(label: string): Promise<WebchatMessage[]> {
    const button = this.lastButtons.find((b) => b.label === label);
    if (!button) throw new Error(`No button "${label}". Buttons now: ${this.lastButtons.map((b) => b.label).join(' | ')}`);
    await this.post({ button: button.payload });
    return this.newMessages();
  }

  async upload(bytes: Buffer, mime: string, name: string): Promise<WebchatMessage[]> {
    const response = await this.request(`/api/webchat/upload?id=${this.nextId()}&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': mime }, body: new Uint8Array(bytes) });
    if (!response.ok) throw new Error(`upload failed: ${response.status}`);
    return this.newMessages();
  }

  async post(body: Record<string, unknown>): Promise<Response> {
    const response = await this.request('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: this.nextId(), ...body }) });
    if (!response.ok) throw new Error(`message failed: ${response.status} ${await response.text()}`);
    return response;
  }

  all: WebchatMessage[] = [];

  get lastButtons(): { label: string; payload: string }[] {
    const withButtons = this.all.filter((m) => m.buttons.length > 0);
    return withButtons.length > 0 ? withButtons[withButtons.length - 1].buttons.flat() : [];
  }

  async newMessages(): Promise<WebchatMessage[]> {
    const response = await this.request(`/api/webchat/messages?after=${this.seen}`);
    const { messages } = (await response.json()) as { messages: WebchatMessage[] };
    for (const m of messages) this.seen = Math.max(this.seen, m.seq);
    // The transcript also keeps what this person sent (for a reload of the page); the bot's side is what specs read.
    const bots = messages.filter((m) => m.own === undefined);
    this.all.push(...bots);
    return bots;
  }
}
