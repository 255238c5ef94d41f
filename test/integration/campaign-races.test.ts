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
});
