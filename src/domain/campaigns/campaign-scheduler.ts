import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import { fireTimes } from './schedule';
import { insertManyOnce, insertOnce, upsertById } from '../../storage/claims';
import type { BroadcastDeliveryDoc } from '../../storage/models/broadcast-delivery.model';
import type { BroadcastGroupDoc } from '../../storage/models/broadcast-group.model';
import type { CampaignMarkDoc } from '../../storage/models/campaign-mark.model';
import type { CampaignRunDoc } from '../../storage/models/campaign-run.model';
import type { SubscriptionDoc } from '../../storage/models/subscription.model';

const log = moduleLogger('campaigns');
const INSERT_BATCH = 500;
/** A run still "materializing" after this long was left by a stopped process and is resumed. */
const RESUME_AFTER_MS = 60_000;

/**
 * Turns schedules into runs: each minute (node-cron), every active
 * campaign's fire times since the last check become runs, inserted with the
 * unique id "<campaign>:<fire time>" so each fires once across instances.
 * A run is materialized as one delivery per recipient, streamed from the
 * subscriptions in batches (memory stays flat) and inserted with unique
 * ids "<run>|<recipient>", so resuming after a crash adds nobody twice.
 */
export class CampaignScheduler {
  constructor(
    private readonly models: {
      campaigns: Model<CampaignDoc>;
      marks: Model<CampaignMarkDoc>;
      runs: Model<CampaignRunDoc>;
      deliveries: Model<BroadcastDeliveryDoc>;
      subscriptions: Model<SubscriptionDoc>;
      groups: Model<BroadcastGroupDoc>;
    },
    private readonly onMaterialized: () => void,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One scheduler round; never throws. Returns the runs it fired. */
  async tick(): Promise<string[]> {
    const fired: string[] = [];
    try {
      const now = this.clock();
      const campaigns = await this.models.campaigns.find({ status: 'active' }).lean();
      const marks = new Map((await this.models.marks.find({ _id: { $in: campaigns.map((c) => c._id) } }).lean()).map((m) => [m._id, m]));
      for (const campaign of campaigns) {
        const mark = marks.get(campaign._id);
        const from = mark && mark.from.getTime() === new Date(campaign.scheduledThrough).getTime() ? mark.through : campaign.scheduledThrough;
        for (const at of fireTimes(campaign, from, now)) {
          const runId = `${campaign._id}:${at.toISOString()}`;
          if (await this.createRun(runId, campaign._id, at, now)) {
            await this.materialize(runId);
            fired.push(runId);
          }
        }
        await this.mark(campaign, now);
        // The campaign stays active while its last run is being sent (it can still be paused or cancelled); the dispatcher finishes it.
        if (campaign.schedule.kind === 'cron' && new Date(campaign.schedule.until) <= now) await this.models.campaigns.updateOne({ _id: campaign._id, status: 'active' }, { $set: { status: 'finished' } });
      }
      const stale = new Date(now.getTime() - RESUME_AFTER_MS);
      for (const run of await this.models.runs.find({ status: 'materializing', createdAt: { $lt: stale } }).lean()) await this.materialize(run._id);
    } catch (error) {
      log.error({ err: error }, 'campaign scheduler round failed');
    }
    if (fired.length > 0) this.onMaterialized();
    return fired;
  }

  /** Progress in its own document: the campaign's is written only by its admins (FerretDB v1 rewrites a whole document per update). */
  private async mark(campaign: CampaignDoc, now: Date): Promise<void> {
    await upsertById(this.models.marks, campaign._id, { $set: { from: campaign.scheduledThrough, through: now } });
  }

  private async createRun(runId: string, campaignId: string, fireAt: Date, now: Date): Promise<boolean> {
    return insertOnce(this.models.runs, { _id: runId, campaignId, fireAt, status: 'materializing', recipients: 0, doneThrough: null, createdAt: now });
  }

  /** Writes the run's deliveries (idempotent), then hands the run to the dispatcher. */
  async materialize(runId: string): Promise<void> {
    const run = await this.models.runs.findOne({ _id: runId }).lean();
    const campaign = run ? await this.models.campaigns.findOne({ _id: run.campaignId }).lean() : null;
    if (!run || !campaign) return;
    const delivery = (kind: 'resident' | 'group', key: string): BroadcastDeliveryDoc => ({ _id: `${runId}|${kind}:${key}`, runId, campaignId: campaign._id, recipient: { kind, key } });
    const { wards, residents, groups, ownGroupsOf } = campaign.audience;
    const wardFilter = wards.includes('*') ? {} : { wardId: { $in: wards } };
    if (residents && !ownGroupsOf) {
      await this.insertStreamed(this.models.subscriptions.find({ ...wardFilter, topics: campaign.topic }, { _id: 1 }).sort({ _id: 1 }).lean().cursor(), (s) => delivery('resident', s._id));
    }
    if (groups) {
      const groupFilter = ownGroupsOf ? { registeredBy: ownGroupsOf } : wardFilter;
      await this.insertStreamed(this.models.groups.find(groupFilter, { _id: 1 }).sort({ _id: 1 }).lean().cursor(), (g) => delivery('group', g._id));
    }
    const recipients = await this.models.deliveries.countDocuments({ runId });
    await this.models.runs.updateOne({ _id: runId }, { $set: { status: 'sending', recipients } });
    log.info({ run: runId, recipients }, 'campaign run ready to send');
  }

  private async insertStreamed<T>(cursor: AsyncIterable<T>, toDelivery: (doc: T) => BroadcastDeliveryDoc): Promise<void> {
    let batch: BroadcastDeliveryDoc[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      // Already there from an earlier attempt at this run: fine, that is what the unique ids are for.
      await insertManyOnce(this.models.deliveries, batch);
      batch = [];
    };
    for await (const doc of cursor) {
      batch.push(toDelivery(doc));
      if (batch.length >= INSERT_BATCH) await flush();
    }
    await flush();
  }
}
