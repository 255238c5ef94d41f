import type { Models } from './database';
import { finishInterruptedFiles } from './file-store';
import { BROADCAST_LEDGER_KEPT_MS, JOB_RUNS_KEPT_MS, LEDGER_RETENTION_MS, NOTICE_KEYS_KEPT_MS, PENDING_NOTICE_KEPT_MS, REMINDERS_KEPT_MS, WEBCHAT_FILES_KEPT_MS, WEBCHAT_MESSAGES_KEPT_MS, ZALO_CONTACTS_KEPT_MS, ZALO_EVENTS_KEPT_MS } from './retention-periods';
import type { BroadcastStatus } from './models/broadcast-outcome.model';

/** The periods set by configuration. */
export interface RetentionPolicy {
  /** PRIVACY_RETENTION_MONTHS: what identifies a reporter or a suspect. */
  privacyMonths: number;
  /** AUDIT_RETENTION_MONTHS: officers' audit entries and stored period figures. */
  auditMonths: number;
}

/** What the sweep removed, per collection (only those it removed from). */
export type SweepCounts = Record<string, number>;

/** Adds what a removal deleted to the sweep's counts. */
type Count = (collection: string, removal: Promise<{ deletedCount: number }>) => Promise<void>;

const STATUSES: BroadcastStatus[] = ['sent', 'failed', 'blocked', 'skipped', 'in_doubt'];

/**
 * The one sweeper of everything that is kept for a while: each ledger, sent
 * message and personal trace has an end (README, "What is kept and for how
 * long"). Run nightly by the housekeeping job, on one instance of the cluster.
 *
 * On MongoDB, the collections whose rule is a plain expiry also carry a TTL
 * index (job_runs); everything else is a rule TTL cannot express (a status,
 * a period from configuration, a join with the tip). FerretDB v1 has no TTL
 * indexes and no secondary index it would use, so there each rule is a scan
 * of its collection once a night: the price of the embedded default, paid
 * off the hot path.
 */
export async function sweepRetention(models: Models, policy: RetentionPolicy, now: Date): Promise<SweepCounts> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const monthsBefore = (months: number) => {
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
    return cutoff;
  };
  const counts: SweepCounts = {};
  const count: Count = async (collection, removal) => {
    const { deletedCount } = await removal;
    if (deletedCount > 0) counts[collection] = (counts[collection] ?? 0) + deletedCount;
  };

  await count('inbox', models.inbox.deleteMany({ receivedAt: { $lt: before(LEDGER_RETENTION_MS) } }));
  await count('delivery_claims', models.deliveryClaims.deleteMany({ claimedAt: { $lt: before(LEDGER_RETENTION_MS) } }));
  await count('leases', models.leases.deleteMany({ expiresAt: { $lt: before(LEDGER_RETENTION_MS) } }));
  await count('job_runs', models.jobRuns.deleteMany({ at: { $lt: before(JOB_RUNS_KEPT_MS) } }));
  await count('broadcast_senders', models.broadcastSenders.deleteMany({ lastSeenAt: { $lt: before(LEDGER_RETENTION_MS) } }));
  await count('broadcast_promotion_days', models.broadcastPromotionDays.deleteMany({ at: { $lt: before(LEDGER_RETENTION_MS) } }));
  // A delivered notice is kept without its body for a day, so its key is not queued again (ReporterNotices).
  await count('reporter_notices', models.reporterNotices.deleteMany({ status: { $ne: 'pending' }, createdAt: { $lt: before(NOTICE_KEYS_KEPT_MS) } }));
  await count('reporter_notices', models.reporterNotices.deleteMany({ status: 'pending', createdAt: { $lt: before(PENDING_NOTICE_KEPT_MS) } }));
  // Zalo events with their encrypted bodies: handled or given up, two days on (replays older than a day are refused by their timestamp).
  await count('zalo_events', models.zaloEvents.deleteMany({ status: { $ne: 'pending' }, receivedAt: { $lt: before(ZALO_EVENTS_KEPT_MS) } }));
  await count('zalo_contacts', models.zaloContacts.deleteMany({ lastInboundAt: { $lt: before(ZALO_CONTACTS_KEPT_MS) } }));
  await count('zalo_held_messages', models.zaloHeld.deleteMany({ createdAt: { $lt: before(ZALO_CONTACTS_KEPT_MS) } }));
  await count('webchat_files', models.webchatFiles.deleteMany({ createdAt: { $lt: before(WEBCHAT_FILES_KEPT_MS) } }));
  await count('webchat_messages', models.webchatMessages.deleteMany({ createdAt: { $lt: before(WEBCHAT_MESSAGES_KEPT_MS) } }));
  await count('audit_log', models.auditLog.deleteMany({ at: { $lt: monthsBefore(policy.auditMonths) } }));
  await count('stats_snapshots', models.statsSnapshots.deleteMany({ computedAt: { $lt: monthsBefore(policy.auditMonths) } }));
  // Self-management models: what leaders recorded counts in reviews for the audit period; a dissolved model goes that long after it
  // was dissolved (an active one stays); a resident is counted under the model whose link they followed for the privacy period.
  await count('model_activities', models.modelActivities.deleteMany({ at: { $lt: monthsBefore(policy.auditMonths) } }));
  await count('community_models', models.communityModels.deleteMany({ status: 'dissolved', 'dissolved.at': { $lt: monthsBefore(policy.auditMonths) } }));
  await count('model_members', models.modelMembers.deleteMany({ joinedAt: { $lt: monthsBefore(policy.privacyMonths) } }));
  // Sightings are newest first: an identifier no tip named within the privacy period is forgotten.
  await count('suspect_sightings', models.suspectSightings.deleteMany({ 'sightings.0.at': { $lt: monthsBefore(policy.privacyMonths) } }));
  const files = await finishInterruptedFiles({ files: models.files, chunks: models.fileChunks }, now);
  if (files > 0) counts.files = files;
  await pruneReminders(models, before(REMINDERS_KEPT_MS), count);
  await settleOldRuns(models, before(BROADCAST_LEDGER_KEPT_MS), count);
  // After the settling, so that a run goes only once its recipients and outcomes have gone (none is left without its run).
  await count('campaign_runs', models.campaignRuns.deleteMany({ status: 'done', fireAt: { $lt: monthsBefore(policy.auditMonths) }, ledgerRemovedAt: { $exists: true } }));
  return counts;
}

/** Reminder keys of closed tips, once old: an open tip keeps them, or the reminder job would remind its desk again. */
async function pruneReminders(models: Models, cutoff: Date, count: Count): Promise<void> {
  for (;;) {
    const old = await models.reminders.find({ sentAt: { $lt: cutoff } }, { reportId: 1 }).limit(500).lean();
    if (old.length === 0) return;
    const reportIds = [...new Set(old.map((reminder) => reminder.reportId))];
    const open = new Set((await models.reports.find({ _id: { $in: reportIds }, status: { $ne: 'closed' } }, { _id: 1 }).lean()).map((report) => String(report._id)));
    const removable = old.filter((reminder) => !open.has(reminder.reportId)).map((reminder) => reminder._id);
    if (removable.length === 0) return;
    await count('deadline_reminders', models.reminders.deleteMany({ _id: { $in: removable } }));
    if (removable.length < old.length) return;
  }
}

/**
 * A campaign run fired long ago keeps its figures on itself (`settled`) and
 * loses its per-recipient ledger: deliveries, outcomes, retries. The figures
 * are written first and `ledgerRemovedAt` last, so a crash in between leaves
 * a run whose ledger the next sweep removes, never a run without figures;
 * and a run is settled once, not read again every night.
 */
async function settleOldRuns(models: Models, cutoff: Date, count: Count): Promise<void> {
  const runs = await models.campaignRuns.find({ status: 'done', fireAt: { $lt: cutoff }, ledgerRemovedAt: { $exists: false } }, { _id: 1, settled: 1 }).lean();
  for (const run of runs) {
    if (!run.settled) {
      const byStatus = await models.broadcastOutcomes.aggregate<{ _id: BroadcastStatus; n: number }>([{ $match: { runId: run._id } }, { $group: { _id: '$status', n: { $sum: 1 } } }]);
      const settled = Object.fromEntries(STATUSES.map((status) => [status, byStatus.find((entry) => entry._id === status)?.n ?? 0])) as Record<BroadcastStatus, number>;
      await models.campaignRuns.updateOne({ _id: run._id }, { $set: { settled } });
    }
    await count('broadcast_deliveries', models.broadcastDeliveries.deleteMany({ runId: run._id }));
    await count('broadcast_outcomes', models.broadcastOutcomes.deleteMany({ runId: run._id }));
    await count('broadcast_retries', models.broadcastRetries.deleteMany({ runId: run._id }));
    await models.campaignRuns.updateOne({ _id: run._id }, { $set: { ledgerRemovedAt: new Date() } });
  }
}
