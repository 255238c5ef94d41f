import { randomBytes } from 'node:crypto';
import type { WebchatMessage } from '../../src/channels/webchat/webchat-channel';

/** A person using the local web chat, through the same HTTP API the page uses. */
export class WebchatClient {
  private seen = 0;
  private counter = 0;

  private constructor(
    private readonly baseUrl: string,
    readonly sessionId: string,
  ) {}

  static async open(baseUrl: string): Promise<WebchatClient> {
    const response = await fetch(`${baseUrl}/api/webchat/sessions`, { method: 'POST' });
    const { sessionId } = (await response.json()) as { sessionId: string };
    return new WebchatClient(baseUrl, sessionId);
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
    const url = `${this.baseUrl}/api/webchat/upload?sessionId=${this.sessionId}&id=${this.nextId()}&name=${encodeURIComponent(name)}`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': mime }, body: new Uint8Array(bytes) });
    if (!response.ok) throw new Error(`upload failed: ${response.status}`);
    return this.newMessages();
  }

  async post(body: Record<string, unknown>): Promise<Response> {
    const response = await fetch(`${this.baseUrl}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: this.sessionId, id: this.nextId(), ...body }),
    });
    if (!response.ok) throw new Error(`message failed: ${response.status} ${await response.text()}`);
    return response;
  }

  all: WebchatMessage[] = [];

  get lastButtons(): { label: string; payload: string }[] {
    const withButtons = this.all.filter((m) => m.buttons.length > 0);
    return withButtons.length > 0 ? withButtons[withButtons.length - 1].buttons.flat() : [];
  }

  async newMessages(): Promise<WebchatMessage[]> {
    const response = await fetch(`${this.baseUrl}/api/webchat/messages?sessionId=${this.sessionId}&after=${this.seen}`);
    const { messages } = (await response.json()) as { messages: WebchatMessage[] };
    for (const m of messages) this.seen = Math.max(this.seen, m.seq);
    this.all.push(...messages);
    return messages;
  }
}
