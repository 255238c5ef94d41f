import { openServices } from '../support/services';
import { seedCampaign } from '../support/seed-audience';

type Services = Awaited<ReturnType<typeof openServices>>;

/**
 * FerretDB v1 applies an update by reading the document and writing all of
 * it back, so two updates of one document at the same moment can lose one.
 * The minute scheduler passes over every active campaign on every
 * instance; an admin's pause, resume or cancel must survive meeting it.
 */
describe('a campaign changed by its admin while the scheduler passes over it', () => {
  let s: Services;

  beforeAll(async () => {
    s = await openServices('campaign_races');
  });

  afterAll(() => s.database.close());

  it('keeps every pause made during a scheduler round', async () => {
    const lost: string[] = [];
    for (let round = 0; round < 30; round += 1) {
      const id = `CD-RACE${round}`;
      await seedCampaign(s.models, id, { schedule: { kind: 'cron', expression: '0 8 * * 1', until: new Date(Date.now() + 30 * 24 * 3_600_000) } });
      await Promise.all([
        s.scheduler.tick(),
        (async () => {
          await new Promise((resolve) => setTimeout(resolve, round % 6));
          await s.campaigns.command('7000', { kind: 'unit_admin', unitIds: null }, `${id} tamdung`, new Date());
        })(),
      ]);
      if ((await s.models.campaigns.findOne({ _id: id }).lean())?.status !== 'paused') lost.push(id);
    }
    expect(lost).toEqual([]);
  });

  it('does not revive a campaign that finished between the admin’s command being read and written', async () => {
    const id = 'CD-OVER1';
    await seedCampaign(s.models, id, { schedule: { kind: 'cron', expression: '0 8 * * 1', until: new Date(Date.now() + 30 * 24 * 3_600_000) } });
    await s.models.campaigns.updateOne({ _id: id }, { $set: { status: 'paused' } });
    // The command reads the campaign paused; it finishes (its end date came, on another instance) before the write.
    const findOne = s.models.campaigns.findOne.bind(s.models.campaigns);
    const stale = await findOne({ _id: id }).lean();
    await s.models.campaigns.updateOne({ _id: id }, { $set: { status: 'finished' } });
    s.models.campaigns.findOne = (() => {
      s.models.campaigns.findOne = findOne;
      return { lean: async () => stale } as unknown as ReturnType<typeof findOne>;
    }) as typeof findOne;
    try {
      const result = await s.campaigns.command('7000', { kind: 'unit_admin', unitIds: null }, `${id} tieptuc`, new Date());
      expect(result).toEqual({ kind: 'already_over', id });
    } finally {
      s.models.campaigns.findOne = findOne;
    }
    expect((await s.models.campaigns.findOne({ _id: id }).lean())?.status).toBe('finished');
  });

  it('leaves a run to the instance still writing its recipients however long it takes, and resumes one whose writer stopped', async () => {
    const id = 'CD-SLOWRUN';
    await seedCampaign(s.models, id, { schedule: { kind: 'cron', expression: '0 8 * * 1', until: new Date(Date.now() + 30 * 24 * 3_600_000) } });
    const runId = `${id}:2026-11-30T01:00:00.000Z`;
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    await s.models.campaignRuns.create({ _id: runId, campaignId: id, fireAt: tenMinutesAgo, status: 'materializing', recipients: 0, doneThrough: null, createdAt: tenMinutesAgo });
    // Its writer is alive: it renewed its lease a moment ago.
    await s.models.leases.create({ _id: `materialize:${runId}`, expiresAt: new Date(Date.now() + 30_000) });
    await s.scheduler.tick();
    expect((await s.models.campaignRuns.findOne({ _id: runId }).lean())?.status).toBe('materializing');

    // Its writer stopped: the lease ran out, and the next round takes the run over and finishes it.
    await s.models.leases.updateOne({ _id: `materialize:${runId}` }, { $set: { expiresAt: new Date(Date.now() - 1) } });
    await s.scheduler.tick();
    expect((await s.models.campaignRuns.findOne({ _id: runId }).lean())?.status).toBe('sending');
    expect(await s.models.leases.countDocuments({ _id: `materialize:${runId}` })).toBe(0);
  });

  it('sends every recipient of a run the text it fired with, even if the campaign is changed while it is being sent', async () => {
    const id = 'CD-FROZEN';
    const chats = [930_001, 930_002, 930_003, 930_004, 930_005];
    for (const chatId of chats) {
      const address = { channel: 'telegram' as const, chatId: String(chatId) };
      const key = s.engine.keyOf(address);
      await s.residents.recordConsent(key, address, 'vi', new Date());
      await s.audience.subscribe(key, 'q3-p12', ['fraud'], new Date());
    }
    await seedCampaign(s.models, id, { topic: 'fraud', audience: { wards: ['q3-p12'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: new Date(Date.now() - 1000) } });
    expect(await s.scheduler.tick()).toHaveLength(1);
    // An edit that slipped past the "not while sending" check, between the run firing and its sends.
    await s.models.campaigns.updateOne({ _id: id }, { $set: { messages: [{ text: 'Văn bản đã sửa sau khi chạy' }] } });
    await s.dispatcher.drainDue();
    const texts = s.outbox.filter((o) => chats.map(String).includes(o.address.chatId)).flatMap((o) => o.messages.map((m) => m.text));
    expect(texts).toHaveLength(5);
    for (const text of texts) expect(text).toContain(`Cảnh báo ${id}`);
  });
});
