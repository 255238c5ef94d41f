import { startApp, type RunningApp } from '../../src/app';
import { parseEnv } from '../../src/config/env';
import { TEST_INVITE_CODE, TEST_KEY, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';

/**
 * The web chat as a ward would put it on its website: the session is a
 * cookie, writes need the page's CSRF token, requests are limited per
 * browser and per address with a polite answer, every page carries a strict
 * Content-Security-Policy, and desks on the web are the operator's choice.
 */
describe('the web chat on a public website', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(testEnv('webchat_security', { WEBCHAT_DESKS: 'false' }));
  });

  afterAll(() => app.stop());

  const message = (text: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `m${Date.now()}${Math.random().toString(36).slice(2, 8)}`, text }) });

  it('serves every page with a strict Content-Security-Policy and nosniff, and sets the session only as an HttpOnly SameSite cookie', async () => {
    const page = await fetch(`${app.url}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const session = await fetch(`${app.url}/api/webchat/sessions`, { method: 'POST' });
    const body = (await session.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['csrfToken']);
    const cookie = session.headers.getSetCookie().find((c) => c.startsWith('tinbao_chat='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('refuses a write without this browser’s CSRF token, or without a session, and handles none of it', async () => {
    const resident = await WebchatClient.open(app.url);
    const other = await WebchatClient.open(app.url);
    const noToken = await fetch(`${app.url}/api/webchat/messages`, { ...message('/trogiup'), headers: { 'content-type': 'application/json', cookie: resident.cookieHeader } });
    expect(noToken.status).toBe(403);
    const othersToken = await fetch(`${app.url}/api/webchat/messages`, { ...message('/trogiup'), headers: { ...other.writeHeaders(), cookie: resident.cookieHeader } });
    expect(othersToken.status).toBe(403);
    expect((await fetch(`${app.url}/api/webchat/messages?after=0`)).status).toBe(401);
    expect(await resident.newMessages()).toEqual([]);

    expect((await resident.request('/api/webchat/messages', message('/trogiup'))).status).toBe(200);
    expect((await resident.newMessages()).some((m) => m.text.includes('Các lệnh'))).toBe(true);
  });

  it('limits requests per browser and per address, answering politely in Vietnamese', async () => {
    const limited = await startApp(testEnv('webchat_limits', { WEBCHAT_REQUESTS_PER_MINUTE: '50', WEBCHAT_REQUESTS_PER_MINUTE_PER_ADDRESS: '80', TRUST_PROXY: 'true' }));
    try {
      await floodedFrom(limited.url);
    } finally {
      await limited.stop();
    }
  });

  async function floodedFrom(url: string): Promise<void> {
    const flooder = await WebchatClient.open(url);
    let last: Response | null = null;
    for (let i = 0; i < 60 && last?.status !== 429; i += 1) last = await flooder.request('/api/webchat/messages?after=0');
    expect(last?.status).toBe(429);
    expect(await last?.json()).toMatchObject({ error: 'rate_limited', message: 'Bạn gửi quá nhanh. Vui lòng chờ một phút rồi thử lại.' });

    // Other browsers at the same address share its allowance: a few more, then they wait too.
    const neighbour = await WebchatClient.open(url);
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i += 1) statuses.push((await neighbour.request('/api/webchat/messages?after=0')).status);
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
    // A message sent over the limit is refused, not handled. A later one from another address (the proxy says which) is handled;
    // once it is answered, the bot has answered one /trogiup, not two.
    expect((await neighbour.request('/api/webchat/messages', message('/trogiup'))).status).toBe(429);
    const later = await neighbour.request('/api/webchat/messages', { ...message('/trogiup'), headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.2' } });
    expect(later.status).toBe(200);
    const transcript = await neighbour.request('/api/webchat/messages?after=0', { headers: { 'x-forwarded-for': '10.0.0.3' } });
    const texts = ((await transcript.json()) as { messages: { text: string; own?: string }[] }).messages.filter((m) => m.own === undefined).map((m) => m.text);
    expect(texts.filter((t) => t.includes('Các lệnh'))).toHaveLength(1);
  }

  it('keeps the open page working after /xoadulieu: what the bot says next comes after what the page has', async () => {
    const resident = await WebchatClient.open(app.url);
    await resident.say('/trogiup');
    await resident.say('/xoadulieu');
    const done = await resident.press('🗑 Xóa dữ liệu của tôi');
    expect(done.map((m) => m.text).join('\n')).toContain('Đã xóa dữ liệu cá nhân của bạn');
    const again = await resident.say('/baotin');
    expect(again.map((m) => m.text).join('\n')).toContain('dữ liệu cá nhân');
    // What was said before the erasure is gone for a new page too.
    const reloaded = await resident.request('/api/webchat/messages?after=0');
    const texts = ((await reloaded.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
    expect(texts.some((t) => t.includes('Các lệnh'))).toBe(false);
  });

  it('asks a web chat for a dispute requester’s number in a phone field, never naming a button the web does not have', async () => {
    const resident = await WebchatClient.open(app.url);
    await resident.say('/hoagiai');
    await resident.press('✅ Tôi đồng ý');
    await resident.press('Không, chỉ là mâu thuẫn, tranh chấp');
    await resident.press('Tiếng ồn');
    await resident.say('Nhà bên cạnh hát karaoke đến 1 giờ sáng mỗi tối.');
    await resident.say('Khoảng hai tuần nay');
    await resident.press('Chưa thử gì');
    await resident.say('Nhà số 14, hẻm 12');
    await resident.press('Chưa rõ');
    await resident.say('Phường 4');
    const contact = await resident.say('hẻm 12 Trần Văn Đặng');
    const prompt = contact.find((m) => m.text.includes('Bước 5/7'));
    expect(prompt?.text).toContain('Gõ số điện thoại của bạn vào ô bên dưới');
    expect(prompt?.text).not.toContain('Chia sẻ số điện thoại');
    expect(prompt?.phoneField).toBe(true);
    expect(prompt?.quickReplies).toEqual([]);
  });

  it('does not let a web chat become a desk unless WEBCHAT_DESKS is on', async () => {
    const officer = await WebchatClient.open(app.url);
    const unitCode = app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code ?? '';
    const answer = await officer.say(`/trucban ${unitCode}`);
    expect(answer.map((m) => m.text).join('\n')).toContain('không thể làm bàn trực ban');
    expect(await app.database.models.desks.countDocuments({ channel: 'webchat' })).toBe(0);
  });

  it('turns the web chat and web desks off in production unless set, on in local mode', () => {
    const production = parseEnv({ APP_MODE: 'production', MONGODB_URI: 'mongodb://db/x', DATA_ENCRYPTION_KEY: TEST_KEY, OFFICER_INVITE_CODE: TEST_INVITE_CODE });
    expect({ enabled: production.WEBCHAT_ENABLED, desks: production.WEBCHAT_DESKS }).toEqual({ enabled: false, desks: false });
    const optedIn = parseEnv({ APP_MODE: 'production', MONGODB_URI: 'mongodb://db/x', DATA_ENCRYPTION_KEY: TEST_KEY, OFFICER_INVITE_CODE: TEST_INVITE_CODE, WEBCHAT_ENABLED: 'true' });
    expect({ enabled: optedIn.WEBCHAT_ENABLED, desks: optedIn.WEBCHAT_DESKS }).toEqual({ enabled: true, desks: false });
    const local = parseEnv({});
    expect({ enabled: local.WEBCHAT_ENABLED, desks: local.WEBCHAT_DESKS }).toEqual({ enabled: true, desks: true });
  });
});
