import { type FakeZaloServer, ZALO_APP_ID, zaloSignature } from './fake-zalo-server';
import { eventually } from './test-env';

let nextMessage = 1;

/**
 * A Zalo user writing to the OA: each action is a webhook call to the
 * service, signed like Zalo's. The sender id is written as a bare JSON
 * number, as large as Zalo's, so a service that lost precision would
 * answer the wrong user.
 */
export class ZaloUser {
  constructor(
    private readonly serviceUrl: string,
    private readonly zalo: FakeZaloServer,
    readonly id: string,
    /** The time Zalo stamps on events: the service's clock, when a spec moves it. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** The raw body of an event from this user. */
  event(eventName: string, message: Record<string, unknown> | null, msgId = `msg${Date.now()}${nextMessage++}`): { body: string; timestamp: string } {
    const timestamp = String(this.clock());
    const payload = message ? `,"message":${JSON.stringify({ msg_id: msgId, ...message })}` : '';
    const who = eventName === 'follow' ? `"follower":{"id":${this.id}}` : `"sender":{"id":${this.id}}`;
    return { body: `{"app_id":"${ZALO_APP_ID}","event_name":"${eventName}","timestamp":"${timestamp}",${who},"recipient":{"id":"579745863508352884"}${payload}}`, timestamp };
  }

  async post(event: { body: string; timestamp: string }, signature = zaloSignature(event.body, event.timestamp)): Promise<Response> {
    return fetch(`${this.serviceUrl}/webhooks/zalo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': signature }, body: event.body });
  }

  /** Does something (a webhook call Zalo gets 200 for), then waits until the OA's next texts to this user include `next`. */
  async step(act: () => Promise<Response>, next: string): Promise<void> {
    const before = this.zalo.textsTo(this.id).length;
    const response = await act();
    if (response.status !== 200) throw new Error(`The webhook answered ${response.status}`);
    await eventually(`Zalo ${this.id} told “${next}”`, () => this.zalo.textsTo(this.id).slice(before).some((t) => t.includes(next)));
  }

  async text(text: string): Promise<Response> {
    return this.post(this.event('user_send_text', { text }));
  }

  /** Text written in a Zalo group the OA is in: Zalo names the group in `recipient.group_id`. */
  async groupText(groupId: string, text: string): Promise<Response> {
    const event = this.event('user_send_group_text', { text });
    const body = event.body.replace('"recipient":{"id":"579745863508352884"}', `"recipient":{"group_id":"${groupId}"}`);
    return this.post({ body, timestamp: event.timestamp });
  }

  /** Taps a button of the latest list templates: Zalo sends its hidden payload back as text. */
  async press(label: string): Promise<Response> {
    // The buttons follow the question's text as separate messages: wait for them as a person would.
    const find = () => this.zalo.lastButtons(this.id).find((b) => b.title === label);
    for (let waited = 0; !find() && waited < 5000; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
    const button = find();
    if (!button) throw new Error(`No Zalo button "${label}". Buttons now: ${this.zalo.lastButtons(this.id).map((b) => b.title).join(' | ')}`);
    return this.text(button.payload);
  }

  /** Shares a map pin, as Zalo's "Vị trí" does. */
  async location(lat: number, lon: number): Promise<Response> {
    return this.post(this.event('user_send_location', { attachments: [{ type: 'location', payload: { coordinates: { latitude: String(lat), longitude: String(lon) } } }] }));
  }

  async image(url: string, size: number): Promise<Response> {
    return this.post(this.event('user_send_image', { attachments: [{ type: 'image', payload: { url, thumbnail: url, size } }] }));
  }
}
