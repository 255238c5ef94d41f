import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Catalog } from '../../config/catalog';
import { parseStatsPeriod, type NamedPeriod, type Period } from '../../shared/vietnam-period';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import type { StatsSnapshotDoc } from '../../storage/models/stats-snapshot.model';
import { ReportTally, withCaseFigures, type KeptReportFigures, type ReportFigures, type TallySource } from './report-tally';
import { DELIVERY_STATUSES, type CampaignFigures, type ModelRow, type PeriodStats } from './period-stats';
import { addActivity, noActivity, type ActivityTotals } from '../models/activity-totals';
import type { CommunityModelDoc } from '../../storage/models/community-model.model';
import type { ModelActivityDoc } from '../../storage/models/model-activity.model';
import type { StatsScope, StatsScopes } from './stats-scope';
import type { ChatAddress } from '../../core/chat';
import { insertOnce } from '../../storage/claims';
import type { BroadcastOutcomeDoc, BroadcastStatus } from '../../storage/models/broadcast-outcome.model';
import type { CampaignRunDoc } from '../../storage/models/campaign-run.model';
import type { ReportRepository } from '../../storage/report-repository';

/** Exactly the fields the tally reads, so 100,000 reports stream without their texts. */
const TALLY_PROJECTION: Record<Exclude<keyof TallySource, 'dispute'> | 'dispute.referral', 1> = {
  kind: 1,
  category: 1,
  group: 1,
  channel: 1,
  unitIds: 1,
  statusHistory: 1,
  forwards: 1,
  assessment: 1,
  assessedAt: 1,
  outcome: 1,
  createdAt: 1,
  subjects: 1,
  model: 1,
  deadlines: 1,
  'dispute.referral': 1,
};

/** What /thongke came to: the figures, or why there are none (not allowed, another unit, a period not understood). */
export type StatsAnswer = { kind: 'figures'; stats: PeriodStats } | { kind: 'refused'; reason: 'not_allowed' | 'other_unit' | 'usage' };

export interface StatsModels {
      reports: ReportRepository;
  campaigns: Model<CampaignDoc>;
  runs: Model<CampaignRunDoc>;
  outcomes: Model<BroadcastOutcomeDoc>;
  audit: Model<AuditEntryDoc>;
  snapshots: Model<StatsSnapshotDoc>;
  communityModels: Model<CommunityModelDoc>;
  modelActivities: Model<ModelActivityDoc>;
}

/**
 * Period statistics (sơ kết, /thongke): tips by reporting group and category,
 * assessment, handling and outcomes, deadlines, times to accept and close,
 * channels, disputes by kind and result, and campaign deliveries, for one unit
 * or all. Reports are streamed through one cursor and added up in code, so it
 * needs nothing FerretDB v1 and MongoDB do not share and memory does not grow
 * with the number of reports. Every request is audited.
 */
export class StatsService {
  constructor(
    private readonly models: StatsModels,
    private readonly scopes: StatsScopes,
    private readonly catalog: Catalog,
  ) {}

  /** /thongke [đơn vị] [kỳ]: the figures of the scope and period asked for, audited. */
  async command(actor: { address: ChatAddress; userId: string | null; adminId: string | null; name: string | null; isGroup?: boolean }, args: string, now: Date): Promise<StatsAnswer> {
    const resolved = await this.scopes.resolve(actor.address, actor.adminId, args, actor.isGroup);
    if (resolved.kind !== 'ok') return { kind: 'refused', reason: resolved.kind };
    const parsed = parseStatsPeriod(resolved.rest, now);
    if (!parsed) return { kind: 'refused', reason: 'usage' };
    const stats = await this.compute(resolved.scope, parsed.kind, parsed.period, now);
    await this.models.audit.create({
      _id: randomUUID(),
      reportId: null,
      unitId: resolved.scope.kind === 'unit' ? resolved.scope.unit.id : '*',
      actor: { channel: actor.address.channel, userId: actor.userId ?? actor.address.chatId, name: actor.name },
      action: 'export_stats',
      before: {},
      after: { from: stats.period.from, to: stats.period.to, asOf: stats.asOf, tips: stats.reports.tips.received, disputes: stats.reports.disputes.received },
      at: now,
    });
    return { kind: 'figures', stats };
  }

  /**
   * The figures of a period for a scope: for an ended period, the ones kept
   * when it was first asked (computed and kept now if it never was); for a
   * period under way, computed afresh up to now.
   */
  async compute(scope: StatsScope, kind: NamedPeriod, period: Period, now: Date): Promise<PeriodStats> {
    const ended = period.to.getTime() <= now.getTime();
    const key = `${scope.kind === 'unit' ? scope.unit.id : '*'}|${period.from.toISOString()}|${period.to.toISOString()}`;
    if (ended) {
      const kept = await this.models.snapshots.findOne({ _id: key }).lean();
      if (kept) {
        const reports = withCaseFigures(kept.reports as KeptReportFigures);
        // Kept before models were counted: their rows are computed now (what leaders recorded in the period, and the kept tips per model, none).
        const models = (kept.models as ModelRow[] | undefined) ?? (await this.modelRows(scope, period, period.to, reports.tips.byModel));
        return { scope, kind, period, asOf: period.to, reports, campaigns: kept.campaigns as CampaignFigures, models };
      }
    }
    const stats = await this.tally(scope, kind, period, now);
    if (ended) {
      // Another request may have kept the same period first: the same figures.
      await insertOnce(this.models.snapshots, { _id: key, reports: stats.reports, campaigns: stats.campaigns, models: stats.models, computedAt: now });
    }
    return stats;
  }

  private async tally(scope: StatsScope, kind: NamedPeriod, period: Period, now: Date): Promise<PeriodStats> {
    const asOf = new Date(Math.min(period.to.getTime(), now.getTime()));
    const unitId = scope.kind === 'unit' ? scope.unit.id : null;
    const tally = new ReportTally(
      { groups: this.catalog.groups, categories: this.catalog.categories.map((c) => c.id), disputeKinds: this.catalog.disputes.kinds.map((k) => k.id) },
      period,
      asOf,
      unitId,
    );
    for await (const report of this.models.reports.streamReceived<TallySource>({ from: period.from, to: asOf }, unitId, TALLY_PROJECTION)) tally.add(report);
    const reports = tally.figures();
    return { scope, kind, period, asOf, reports, campaigns: await this.campaignFigures(unitId, period, asOf), models: await this.modelRows(scope, period, asOf, reports.tips.byModel) };
  }

  /**
   * The scope's self-management models, each with the tips that came through
   * it in the period and what its leaders recorded then. A model dissolved
   * before the period, with nothing in it, is left out.
   */
  private async modelRows(scope: StatsScope, period: Period, asOf: Date, tips: ReportFigures['tips']['byModel']): Promise<ModelRow[]> {
    const unitFilter = scope.kind === 'unit' ? { unitId: scope.unit.id } : {};
    const [models, records] = await Promise.all([
      this.models.communityModels.find({ ...unitFilter, createdAt: { $lt: asOf } }).lean(),
      this.models.modelActivities.find({ ...unitFilter, at: { $gte: period.from, $lt: asOf } }, { modelId: 1, activity: 1 }).lean(),
    ]);
    const activity = new Map<string, ActivityTotals>();
    for (const record of records) {
      const totals = activity.get(record.modelId) ?? noActivity();
      activity.set(record.modelId, addActivity(totals, record.activity));
    }
    return models
      .map((m) => ({
        id: m._id,
        code: m.code,
        name: m.name,
        kind: m.kind,
        wardId: m.wardId,
        status: m.status === 'dissolved' && m.dissolved && m.dissolved.at >= asOf ? 'active' : m.status,
        ...(tips[m._id] ?? { tips: 0, valuable: 0, cases: 0, subjects: 0 }),
        activity: activity.get(m._id) ?? noActivity(),
      }))
      .filter((row) => !(row.status === 'dissolved' && row.tips === 0 && Object.values(row.activity).every((n) => n === 0)))
      .sort((a, b) => a.wardId.localeCompare(b.wardId) || a.name.localeCompare(b.name, 'vi'));
  }

  /** Runs fired in the period (of the unit's campaigns), and where each of their deliveries stood at `asOf`. */
  private async campaignFigures(unitId: string | null, period: Period, asOf: Date): Promise<CampaignFigures> {
    const campaignIds = unitId === null ? null : (await this.models.campaigns.find({ unitId }, { _id: 1 }).lean()).map((c) => c._id);
    const runs = await this.models.runs
      .find({ fireAt: { $gte: period.from, $lt: asOf }, ...(campaignIds ? { campaignId: { $in: campaignIds } } : {}) }, { _id: 1, campaignId: 1, recipients: 1, settled: 1 })
      .lean();
    const byStatus = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as CampaignFigures['byStatus'];
    const recipients = runs.reduce((sum, run) => sum + run.recipients, 0);
    // A run whose per-recipient ledger the retention sweep removed counts with the final figures it kept.
    for (const run of runs) for (const [status, n] of Object.entries(run.settled ?? {})) if (status in byStatus) byStatus[status as BroadcastStatus] += n;
    const live = runs.filter((run) => !run.settled);
    if (live.length > 0) {
      const counts = await this.models.outcomes.aggregate<{ _id: BroadcastStatus; n: number }>([
        { $match: { runId: { $in: live.map((r) => r._id) }, at: { $lt: asOf } } },
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ]);
      for (const { _id, n } of counts) if (_id in byStatus) byStatus[_id] += n;
    }
    byStatus.pending = Math.max(0, recipients - DELIVERY_STATUSES.reduce((sum, s) => (s === 'pending' ? sum : sum + byStatus[s]), 0));
    return { campaigns: new Set(runs.map((r) => r.campaignId)).size, runs: runs.length, recipients, byStatus };
  }
}
