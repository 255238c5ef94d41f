import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import { fireTimes } from './schedule';
import { claimWithLease, insertManyOnce, insertOnce, upsertById } from '../../storage/claims';
import type { BroadcastDeliveryDoc } from '../../storage/models/broadcast-delivery.model';
import type { BroadcastGroupDoc } from '../../storage/models/broadcast-group.model';
import type { CampaignMarkDoc } from '../../storage/models/campaign-mark.model';
import type { CampaignRunDoc } from '../../storage/models/campaign-run.model';
import type { SubscriptionDoc } from '../../storage/models/subscription.model';
import type { LeaseDoc } from '../../storage/models/lease.model';

const log = moduleLogger('campaigns');
const INSERT_BATCH = 500;
/**
 * How long the instance writing a run's recipients holds it without news:
 * it renews the lease with every batch it writes, and a run whose lease ran
 * out was left by a stopped process and is taken over (however long a live
 * one takes, nobody else redoes it meanwhile).
 */
const MATERIALIZE_LEASE_MS = 60_000;

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
      leases: Model<LeaseDoc>;
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
          if (await this.createRun(runId, campaign, at, now)) {
            await this.materialize(runId);
            fired.push(runId);
          }
        }
        await this.mark(campaign, now);
        // The campaign stays active while its last run is being sent (it can still be paused or cancelled); the dispatcher finishes it.
        if (campaign.schedule.kind === 'cron' && new Date(campaign.schedule.until) <= now) await this.models.campaigns.updateOne({ _id: campaign._id, status: 'active' }, { $set: { status: 'finished' } });
      }
      // Runs left half-written: each is taken over only once its writer's lease ran out.
      for (const run of await this.models.runs.find({ status: 'materializing' }, { _id: 1 }).lean()) {
        if (await this.holdRun(run._id, now)) await this.materialize(run._id);
      }
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

  /** The run, with the campaign's text frozen as it is now. */
  private async createRun(runId: string, campaign: CampaignDoc, fireAt: Date, now: Date): Promise<boolean> {
    const run = { _id: runId, campaignId: campaign._id, fireAt, status: 'materializing' as const, recipients: 0, doneThrough: null, createdAt: now, messages: campaign.messages };
    if (!(await insertOnce(this.models.runs, run))) return false;
    await this.holdRun(runId, now);
    return true;
  }

  /** Takes (or renews) the lease on writing a run's recipients; false while another live instance holds it. */
  private holdRun(runId: string, now: Date): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + MATERIALIZE_LEASE_MS);
    return claimWithLease(this.models.leases, { _id: materializeLease(runId), expiresAt }, { expired: { expiresAt: { $lte: now } }, takeOver: { $set: { expiresAt } } });
  }

  /** Writes the run's deliveries (idempotent), then hands the run to the dispatcher. */
  async materialize(runId: string): Promise<void> {
    const run = await this.models.runs.findOne({ _id: runId }).lean();
    const campaign = run ? await this.models.campaigns.findOne({ _id: run.campaignId }).lean() : null;
    if (!run || !campaign) return;
    const delivery = (kind: 'resident' | 'group', key: string): BroadcastDeliveryDoc => ({ _id: `${runId}|${kind}:${key}`, runId, campaignId: campaign._id, recipient: { kind, key } });
    const { wards, residents, groups, ownGroupsOf, modelKinds } = campaign.audience;
    const wardFilter = wards.includes('*') ? {} : { wardId: { $in: wards } };
    if (residents && !ownGroupsOf) {
      await this.insertStreamed(runId, this.models.subscriptions.find({ ...wardFilter, topics: campaign.topic }, { _id: 1 }).sort({ _id: 1 }).lean().cursor(), (s) => delivery('resident', s._id));
    }
    if (groups) {
      const groupFilter = ownGroupsOf ? { registeredBy: ownGroupsOf } : modelKinds?.length ? { ...wardFilter, modelKind: { $in: modelKinds } } : wardFilter;
      await this.insertStreamed(runId, this.models.groups.find(groupFilter, { _id: 1 }).sort({ _id: 1 }).lean().cursor(), (g) => delivery('group', g._id));
    }
    const recipients = await this.models.deliveries.countDocuments({ runId });
    await this.models.runs.updateOne({ _id: runId }, { $set: { status: 'sending', recipients } });
    await this.models.leases.deleteOne({ _id: materializeLease(runId) });
    log.info({ run: runId, recipients }, 'campaign run ready to send');
  }

  private async insertStreamed<T>(runId: string, cursor: AsyncIterable<T>, toDelivery: (doc: T) => BroadcastDeliveryDoc): Promise<void> {
    let batch: BroadcastDeliveryDoc[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      // Still writing: the lease is renewed with each batch, so a long audience is never taken for a stopped writer's.
      await this.models.leases.updateOne({ _id: materializeLease(runId) }, { $set: { expiresAt: new Date(this.clock().getTime() + MATERIALIZE_LEASE_MS) } });
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

function materializeLease(runId: string): string {
  return `materialize:${runId}`;
}
