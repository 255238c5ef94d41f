import { Audience } from '../../src/domain/campaigns/audience';
import { BroadcastDispatcher } from '../../src/domain/campaigns/broadcast-dispatcher';
import type { BroadcastPorts } from '../../src/domain/campaigns/broadcast-ports';
import { CampaignScheduler } from '../../src/domain/campaigns/campaign-scheduler';
import { ResidentService } from '../../src/domain/residents/resident-service';
import { dispatcherModels } from '../../src/services';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { openDatabase, type Database } from '../../src/storage/database';
import { seedCampaign, seedTelegramSubscribers } from '../support/seed-audience';
import { TEST_KEY, eventually, testDatabaseUri } from '../support/test-env';
import { ReportRepository } from '../../src/storage/report-repository';

const LIMIT = 10;

describe('two instances broadcasting at once keep to one overall rate limit', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('broadcast_share'));
  });

  /** Stops the dispatchers a spec started, even when it failed half-way. */
  let stopAll: () => Promise<unknown> = async () => undefined;

  afterAll(async () => {
    await stopAll();
    await db.close();
  });

  it('splits the rate between the instances sending; a stopped instance stops counting', async () => {
    const { models } = db;
    const cipher = createPiiCipher(Buffer.from(TEST_KEY, 'base64'));
    const audience = new Audience({ subscriptions: models.subscriptions, groups: models.broadcastGroups }, new ResidentService(models.residents, new ReportRepository(models.reports, models.reportActions, cipher), cipher), cipher);
    await seedTelegramSubscribers(models, 880_000, 72, 'q3-p4', ['scams']);
    await seedCampaign(models, 'CD-SHARE', { schedule: { kind: 'once', at: new Date() } });
    await new CampaignScheduler(
      { campaigns: models.campaigns, marks: models.campaignMarks, runs: models.campaignRuns, deliveries: models.broadcastDeliveries, subscriptions: models.subscriptions, groups: models.broadcastGroups, leases: models.leases },
      () => undefined,
    ).tick();

    const sends: { at: number; by: string; chat: string }[] = [];
    const instance = (name: string) => {
      const ports: BroadcastPorts = {
        send: async (address) => void sends.push({ at: Date.now(), by: name, chat: address.chatId }),
        classify: () => ({ kind: 'transient' }),
        reachableNow: async () => true,
        attachment: () => {
          throw new Error('these campaigns have no pictures');
        },
      };
      return new BroadcastDispatcher(dispatcherModels(models), audience, ports, { perSecond: LIMIT, chatIntervalMs: 0, groupPerMinute: 20, concurrency: 16 });
    };

    const first = instance('first');
    const second = instance('second');
    stopAll = () => Promise.all([first.stop(), second.stop()]);
    first.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const secondStarted = Date.now();
    second.start();
    await eventually('every delivery settled', async () => (await models.broadcastOutcomes.countDocuments({ campaignId: 'CD-SHARE' })) === 72, 40_000);

    // Everyone once, and both instances sent.
    expect(sends).toHaveLength(72);
    expect(new Set(sends.map((s) => s.chat)).size).toBe(72);
    expect(sends.filter((s) => s.by === 'second').length).toBeGreaterThan(10);
    // Once each has seen the other (a heartbeat, and the slots it had already taken), no second carries more than the limit between them.
    const settled = sends.filter((s) => s.at >= secondStarted + 3000);
    expect(settled.length).toBeGreaterThan(LIMIT);
    const busiest = Math.max(...settled.map((s) => settled.filter((o) => o.at >= s.at && o.at < s.at + 1000).length));
    expect(busiest).toBeLessThanOrEqual(LIMIT);
    // Each sees the other's part settled, so the run is over for both.
    await eventually('run done', async () => (await models.campaignRuns.findOne({ campaignId: 'CD-SHARE' }).lean())?.status === 'done', 10_000);
    expect(await models.broadcastSenders.countDocuments({})).toBe(2);
    await second.stop();
    expect(await models.broadcastSenders.countDocuments({})).toBe(1);
    await first.stop();
    expect(await models.broadcastSenders.countDocuments({})).toBe(0);
  });

  it('runs two rounds at once on one instance without failing or sending anyone twice', async () => {
    const { models } = db;
    const cipher = createPiiCipher(Buffer.from(TEST_KEY, 'base64'));
    const audience = new Audience({ subscriptions: models.subscriptions, groups: models.broadcastGroups }, new ResidentService(models.residents, new ReportRepository(models.reports, models.reportActions, cipher), cipher), cipher);
    await seedTelegramSubscribers(models, 890_000, 12, 'q3-p9', ['drugs']);
    await seedCampaign(models, 'CD-TWICE', { topic: 'drugs', audience: { wards: ['q3-p9'], residents: true, groups: false, ownGroupsOf: null }, schedule: { kind: 'once', at: new Date() } });
    await new CampaignScheduler(
      { campaigns: models.campaigns, marks: models.campaignMarks, runs: models.campaignRuns, deliveries: models.broadcastDeliveries, subscriptions: models.subscriptions, groups: models.broadcastGroups, leases: models.leases },
      () => undefined,
    ).tick();
    const sent: string[] = [];
    const ports: BroadcastPorts = {
      send: async (address) => void sent.push(address.chatId),
      classify: () => ({ kind: 'transient' }),
      reachableNow: async () => true,
      attachment: () => {
        throw new Error('these campaigns have no pictures');
      },
    };
    const dispatcher = new BroadcastDispatcher(
      dispatcherModels(models),
      audience,
      ports,
      { perSecond: 100, chatIntervalMs: 0, groupPerMinute: 20, concurrency: 4 },
    );
    stopAll = () => dispatcher.stop();
    await models.broadcastSenders.deleteMany({});
    await Promise.all([dispatcher.drainDue(), dispatcher.drainDue()]);
    expect(sent.filter((chat) => Number(chat) >= 890_000).sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(890_000 + i)));
    expect(await models.broadcastSenders.countDocuments({})).toBe(1);
  });
});
