import { startApp, type RunningApp } from '../../src/app';
import { FakeZaloServer } from '../support/fake-zalo-server';
import { JPEG_BYTES, seedCampaign, seedPicture } from '../support/seed-audience';
import { testEnv } from '../support/test-env';
import { ZaloUser } from '../support/zalo-user';

describe('campaigns to Zalo followers outside the 7-day window, as promotion messages (ZALO_PROMOTION=true)', () => {
  let zalo: FakeZaloServer;
  let app: RunningApp;
  let env: ReturnType<typeof testEnv>;
  let now: Date;

  beforeAll(async () => {
    zalo = new FakeZaloServer();
    await zalo.start();
    now = new Date('2026-12-01T03:00:00Z'); // 10:00 in Vietnam
    env = testEnv('zalo-promotion', { ...zalo.serviceEnv(), ZALO_PROMOTION: 'true', BROADCAST_WORKER: 'false' });
    app = await startApp(env, { clock: () => now });
  });

  afterAll(async () => {
    await app.stop();
    await zalo.stop();
  });

  const campaign = (id: string, messages: Parameters<typeof seedCampaign>[2]['messages']) =>
    seedCampaign(app.database.models, id, { topic: 'trafficking', messages, audience: { wards: ['q3-p9'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: now } });
  const run = async () => {
    await app.scheduler.tick();
    await app.dispatcher.drainDue();
  };
  const promotionsTo = (user: ZaloUser) => zalo.promotions.filter((p) => p.userId === user.id).map((p) => p.message.attachment?.payload);

  it('sends a follower who has not written for 7 days one promotion a day, the next campaign the next morning, and consultation messages again once they write', async () => {
    const resident = new ZaloUser(app.url, zalo, '5555555555555555555', () => now.getTime());
    await resident.step(() => resident.text('/dangky'), 'dữ liệu cá nhân');
    await resident.step(() => resident.press('✅ Tôi đồng ý'), 'Bạn ở phường nào');
    await resident.step(() => resident.press('Phường 9'), 'Chọn các chủ đề');
    await resident.step(() => resident.press('Mua bán người'), 'Chọn các chủ đề');
    await resident.step(() => resident.press('✅ Xong'), 'Đã đăng ký nhận cảnh báo');

    // Nine days later: outside the window, so the campaign goes as one promotion message.
    now = new Date('2026-12-10T03:00:00Z');
    const picture = await seedPicture(app.database.models, JPEG_BYTES('promotion'), 'image/jpeg');
    await campaign('CD-PROMO1', [
      { text: 'Cảnh báo mua bán người\nKẻ gian hứa việc nhẹ lương cao ở nước ngoài rồi giữ giấy tờ.', image: picture },
      { text: 'Nghi ngờ thì gọi ngay 113.' },
    ]);
    await run();
    expect(promotionsTo(resident)).toEqual([
      {
        template_type: 'promotion',
        language: 'VI',
        elements: [
          { type: 'banner', attachment_id: expect.stringMatching(/^img\d+$/) },
          { type: 'header', content: 'Cảnh báo mua bán người', align: 'left' },
          { type: 'text', content: 'Kẻ gian hứa việc nhẹ lương cao ở nước ngoài rồi giữ giấy tờ.\n\nNghi ngờ thì gọi ngay 113.', align: 'left' },
        ],
      },
    ]);
    expect(zalo.textsTo(resident.id).some((t) => t.includes('Kẻ gian hứa'))).toBe(false);
    expect(await app.database.models.broadcastOutcomes.findOne({ campaignId: 'CD-PROMO1' }).lean()).toMatchObject({ status: 'sent', reason: 'promotion' });

    // A second campaign the same day waits for the next morning at 06:00, and is not lost.
    await campaign('CD-PROMO2', [{ text: 'Cảnh báo CD-PROMO2: không đưa giấy tờ tùy thân cho người lạ.' }]);
    await run();
    expect(promotionsTo(resident)).toHaveLength(1);
    expect((await app.database.models.broadcastRetries.findOne({ campaignId: 'CD-PROMO2' }).lean())?.dueAt).toEqual(new Date('2026-12-10T23:00:00Z'));
    now = new Date('2026-12-10T22:59:00Z');
    await app.dispatcher.drainDue();
    expect(promotionsTo(resident)).toHaveLength(1);
    now = new Date('2026-12-10T23:00:00Z');
    await app.dispatcher.drainDue();
    expect(promotionsTo(resident)).toHaveLength(2);
    expect(promotionsTo(resident)[1]).toMatchObject({ elements: [{ type: 'header', content: 'Cảnh báo CD-PROMO2: không đưa giấy tờ tùy thân cho người lạ.' }] });

    // Writing again opens the window: the next campaign is an ordinary message, not a promotion.
    now = new Date('2026-12-11T03:00:00Z');
    await resident.step(() => resident.text('/trogiup'), 'Các lệnh');
    await campaign('CD-PROMO3', [{ text: 'Cảnh báo CD-PROMO3: lừa đảo tuyển dụng qua mạng xã hội.' }]);
    await run();
    expect(zalo.textsTo(resident.id).filter((t) => t.includes('Cảnh báo CD-PROMO3'))).toHaveLength(1);
    expect(promotionsTo(resident)).toHaveLength(2);
  });
});
