import { startApp, type RunningApp } from '../../src/app';
import { JPEG_BYTES, seedCampaign, seedPicture } from '../support/seed-audience';
import { eventually, testEnv } from '../support/test-env';
import { WebchatClient } from '../support/webchat-client';
import { PNG_1X1 } from '../support/seed-audience';


/** Both sides in the local web chat: a resident files a tip with a photo; only the right unit's desk can open it. */
describe('officer desks in the local web chat', () => {
  let app: RunningApp;
  const env = testEnv('webchat_desk');

  beforeAll(async () => {
    app = await startApp(env);
  });

  afterAll(() => app.stop());

  const code = (unitId: string) => app.unitInviteCodes.find((u) => u.unitId === unitId)?.code ?? '';

  it('shows evidence only to a desk of a unit holding the tip', async () => {
    const p11Desk = await WebchatClient.open(app.url);
    await p11Desk.say(`/trucban ${code('cap-p9')}`);
    const p4Desk = await WebchatClient.open(app.url);
    await p4Desk.say(`/trucban ${code('cap-p4')}`);

    const resident = await WebchatClient.open(app.url);
    await resident.say('/baotin');
    await resident.press('✅ Tôi đồng ý');
    await resident.press('Trộm cắp, cướp giật');
    await resident.say('Camera ghi lại cảnh trộm xe trước nhà.');
    await resident.say('Phường 11');
    await resident.press('Không rõ');
    await resident.upload(PNG_1X1, 'image/png', 'camera.png');
    await resident.press('✅ Xong');
    await resident.press('Bỏ qua');
    await resident.press('🕶 Gửi ẩn danh');
    await resident.press('📨 Gửi tin báo');

    const card = await eventually('card at the Phường 9 desk', async () => (await p11Desk.newMessages()).find((m) => m.text.includes('TIN BÁO MỚI')));
    const url = card.attachments[0]?.url;
    expect(url).toMatch(/^\/api\/webchat\/evidence\//);

    const asOwnDesk = await p11Desk.request(url ?? '');
    expect(asOwnDesk.status).toBe(200);
    // The desk gets the photo re-encoded (still a PNG), not the bytes as sent.
    expect(Buffer.from(await asOwnDesk.arrayBuffer()).subarray(0, 8)).toEqual(PNG_1X1.subarray(0, 8));
    expect((await p4Desk.request(url ?? '')).status).toBe(403);
    expect((await resident.request(url ?? '')).status).toBe(403);
    expect(p4Desk.all.concat(await p4Desk.newMessages()).some((m) => m.text.includes('TIN BÁO MỚI'))).toBe(false);

    // Accepted from the card: the card is edited in place, as on Telegram, its title following the state; nothing is posted again.
    const tipCode = /TB-\w{6}/.exec(card.text)?.[0] ?? '';
    await p11Desk.press('✅ Tiếp nhận');
    const edit = await eventually('the card edited', async () => (await p11Desk.newMessages(), p11Desk.all.find((m) => m.replaces === card.seq)));
    expect(edit.text).toContain(`📋 TIN BÁO ${tipCode}`);
    expect(edit.text).not.toContain('TIN BÁO MỚI');
    expect(p11Desk.all.filter((m) => m.text.includes('TIN BÁO MỚI') && m.replaces === undefined)).toHaveLength(1);
    // A reload shows the card once, as it is now.
    const reloaded = ((await (await p11Desk.request('/api/webchat/messages?after=0')).json()) as { messages: { seq: number; text: string }[] }).messages;
    expect(reloaded.find((m) => m.seq === card.seq)?.text).toContain(`📋 TIN BÁO ${tipCode}`);
  });

  it('gives a desk its period statistics as files it alone can open, the chart shown in the chat', async () => {
    const desk = await WebchatClient.open(app.url);
    await desk.say(`/trucban ${code('cap-p9')}`);
    await desk.say('/thongke');
    const [summary, chart] = await eventually('statistics', async () => {
      await desk.newMessages();
      const found = desk.all.filter((m) => m.text.startsWith('📊 Thống kê Công an Phường 9') || m.text.startsWith('📈'));
      return found.length >= 2 ? found : undefined;
    });
    // The tip filed in Phường 11 by the spec above.
    expect(summary.text).toContain('Tin báo: 1');
    expect(summary.attachments.map((a) => a.fileName)).toEqual([expect.stringMatching(/^thong-ke-cap-p9-\d{8}-\d{8}\.csv$/), expect.stringMatching(/\.xlsx$/)]);
    const csvUrl = summary.attachments[0].url;
    expect(csvUrl).toMatch(/^\/api\/webchat\/files\//);
    const csv = await desk.request(csvUrl ?? '');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).replace(/^\uFEFF/, '')).toContain('Tin báo theo nhóm');
    const png = await desk.request(chart.attachments[0].url ?? '');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    const other = await WebchatClient.open(app.url);
    expect((await other.request(csvUrl ?? '')).status).toBe(404);
    // Without the session's cookie, a copied link opens nothing.
    expect((await fetch(`${app.url}${csvUrl}`)).status).toBe(401);
  });

  it('shows a resident subscribed in the web chat a campaign picture with its caption, from that chat’s own copy', async () => {
    const resident = await WebchatClient.open(app.url);
    await resident.say('/dangky');
    await resident.press('✅ Tôi đồng ý');
    await resident.press('Phường 4');
    await resident.press('Lừa đảo qua mạng');
    await resident.press('✅ Xong');
    expect(resident.all.some((m) => m.text.includes('Đã đăng ký nhận cảnh báo'))).toBe(true);
    const bytes = JPEG_BYTES('web chat poster');
    const picture = await seedPicture(app.database.models, bytes, 'image/jpeg');
    const text = 'Cảnh báo CD-WEB: không bấm vào đường link lạ gửi qua tin nhắn.';
    await seedCampaign(app.database.models, 'CD-WEB', { messages: [{ text, image: picture }], schedule: { kind: 'once', at: new Date() } });
    await app.scheduler.tick();
    await app.dispatcher.drainDue();

    const message = await eventually('the campaign message', async () => {
      await resident.newMessages();
      return resident.all.find((m) => m.text === text);
    });
    expect(message.attachments).toEqual([{ kind: 'photo', mime: 'image/jpeg', fileName: null, url: expect.stringMatching(/^\/api\/webchat\/files\//) }]);
    const image = await resident.request(message.attachments[0].url ?? '');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(bytes);
    const other = await WebchatClient.open(app.url);
    expect((await other.request(message.attachments[0].url ?? '')).status).toBe(404);
  });
});
