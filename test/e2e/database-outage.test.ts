import { randomUUID } from 'node:crypto';
import { startApp, type RunningApp } from '../../src/app';
import { eventually, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';
import { WireCounter } from '../support/wire-counter';

/**
 * The database goes away and comes back. Meanwhile readiness says so, and a
 * web chat message that could not be recorded is refused with 503 (never
 * acknowledged and lost); the page sends it again with the same id, and once
 * the database is back it is handled, once.
 */
describe('the database unreachable for a while', () => {
  let link: WireCounter;
  let app: RunningApp;

  beforeAll(async () => {
    const server = new URL(String(process.env.TEST_DATABASE_SERVER));
    link = new WireCounter({ host: server.hostname, port: Number(server.port) });
    const proxied = await link.start();
    const env = testEnv('outage', { DATABASE_TIMEOUT_MS: '1000' });
    app = await startApp({ ...env, MONGODB_URI: `${proxied}${new URL(String(env.MONGODB_URI)).pathname.slice(1)}` });
  });

  afterAll(async () => {
    link.resume();
    await app.stop();
    await link.stop();
  });

  const post = (chat: WebchatClient, body: unknown) => chat.request('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const botTexts = async (chat: WebchatClient): Promise<string[]> => {
    const response = await chat.request('/api/webchat/messages?after=0');
    const { messages } = (await response.json()) as { messages: { text: string }[] };
    return messages.map((m) => m.text);
  };

  it('reports the outage on /readyz, refuses unrecorded messages with 503, and handles the retried message once when it is back', async () => {
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    const chat = await WebchatClient.open(app.url);
    const message = { id: randomUUID().replace(/-/g, ''), text: '/trogiup' };

    link.pause();
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'database_unreachable' });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await post(chat, message)).status).toBe(503);

    link.resume();
    // The driver finds the server again on its next heartbeat (within seconds); when the cut wedged its monitor (about one run in ten),
    // the watchdog reconnects it within 25 s (storage/driver-watchdog.ts). Wait for readiness, not for a time.
    await eventually('ready again', async () => (await fetch(`${app.url}/readyz`)).status === 200, 60_000);
    expect((await post(chat, message)).status).toBe(200);
    expect((await post(chat, message)).status).toBe(200);
    const help = (await botTexts(chat)).filter((t) => t.includes('Các lệnh'));
    expect(help).toHaveLength(1);
  });
});
