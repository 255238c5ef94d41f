import { startApp, type RunningApp } from '../../src/app';
import { eventually, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';

/**
 * A duty desk in a browser sees every tip of its unit. A browser left open
 * on a shared computer, or a copied cookie, must not keep that power: after
 * WEBCHAT_DESK_IDLE_MINUTES without its officer writing or pressing a
 * button, the desk shows nothing until the unit's code is typed again. Its
 * cards keep arriving meanwhile, so nothing is lost. The clock is the
 * service's own, moved by the spec.
 */
describe('a web chat desk left idle', () => {
  let app: RunningApp;
  let now = new Date('2026-12-03T08:00:00Z');
  const minutes = (n: number) => {
    now = new Date(now.getTime() + n * 60_000);
  };

  beforeAll(async () => {
    app = await startApp(testEnv('webchat_desk_lock', { WEBCHAT_DESK_IDLE_MINUTES: '30' }), { clock: () => now });
  });

  afterAll(() => app.stop());

  const code = (unitId: string) => app.unitInviteCodes.find((u) => u.unitId === unitId)?.code ?? '';
  const lockedAnswer = { error: 'desk_locked', message: 'Phiên trực ban trên web đã khóa vì không hoạt động quá 30 phút. Gõ /trucban <mã đơn vị> để mở lại.' };

  it('stays open while its officer acts, locks 30 minutes after the last action, and opens again only with its unit’s code', async () => {
    const desk = await WebchatClient.open(app.url);
    // Read out over the phone and typed in capitals, the code is the same code.
    expect((await desk.say(`/trucban ${code('cap-p4').toUpperCase()}`)).some((m) => m.text.includes('Công an Phường 4'))).toBe(true);

    // Polling is not activity, but the officer's message at 20 minutes is: at 45 minutes (25 after it) the desk is still open.
    minutes(20);
    await desk.say('/trogiup');
    minutes(25);
    expect((await desk.request('/api/webchat/messages?after=0')).status).toBe(200);

    // 31 minutes after that message, with the page polling all along: locked.
    minutes(6);
    const poll = await desk.request('/api/webchat/messages?after=0');
    expect(poll.status).toBe(401);
    expect(await poll.json()).toEqual(lockedAnswer);

    // While locked, a tip still reaches the desk's transcript, but no request of that browser reads it or acts.
    const resident = await WebchatClient.open(app.url);
    await resident.say('/baotin');
    await resident.press('✅ Tôi đồng ý');
    await resident.press('Trộm cắp, cướp giật');
    await resident.say('Xe máy bị lấy trộm trước cổng chợ lúc sáng.');
    await resident.say('Phường 4');
    await resident.press('Không rõ');
    await resident.press('Bỏ qua');
    await resident.press('Bỏ qua');
    await resident.press('🕶 Gửi ẩn danh');
    const receipt = (await resident.press('📨 Gửi tin báo')).map((m) => m.text).join('\n');
    const tipCode = /TB-\w{6}/.exec(receipt)?.[0] ?? '';
    expect(tipCode).not.toBe('');

    const write = (body: Record<string, unknown>) =>
      desk.request('/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `lock-${Math.random().toString(36).slice(2, 10)}`, ...body }) });
    expect((await write({ text: '/quahan' })).status).toBe(401);
    expect((await write({ button: 'anything' })).status).toBe(401);
    expect((await write({ text: `/trucban ${code('cap-p9')}` })).status).toBe(401);
    expect((await write({ text: '/trucban sai-ma' })).status).toBe(401);
    const upload = await desk.request('/api/webchat/upload?id=lock-upload-1', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array([1, 2, 3]) });
    expect(upload.status).toBe(401);
    expect((await desk.request('/api/webchat/messages?after=0')).status).toBe(401);

    // The unit's own code opens it: the whole transcript is there again, with the card that came while it was locked.
    expect((await write({ text: `/trucban ${code('cap-p4')}` })).status).toBe(200);
    const transcript = await eventually('the card in the reopened desk', async () => {
      const response = await desk.request('/api/webchat/messages?after=0');
      const { messages } = (await response.json()) as { messages: { text: string }[] };
      return messages.some((m) => m.text.includes(tipCode)) ? messages : undefined;
    });
    expect(transcript.some((m) => m.text.includes('Lệnh của bàn trực ban'))).toBe(true);
    // None of what was refused while locked was handled: no answer to /quahan, none to the other unit's code.
    expect(transcript.some((m) => /sắp hoặc đã quá hạn(\.|:)/.test(m.text))).toBe(false);
    expect(transcript.some((m) => m.text.includes('Công an Phường 9'))).toBe(false);
  });

  it('never locks a resident’s chat, however long it stays quiet', async () => {
    const resident = await WebchatClient.open(app.url);
    await resident.say('/trogiup');
    minutes(24 * 60);
    expect((await resident.request('/api/webchat/messages?after=0')).status).toBe(200);
    expect((await resident.post({ text: '/trogiup' })).status).toBe(200);
  });
});
