import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { ReportDoc } from '../../core/report';

const log = moduleLogger('retention');

/**
 * Keeps the promise of the privacy notice: a closed tip keeps its reporter's
 * personal data (contact, and the link to their chat) for at most
 * `months` after closing. Then the reporter is detached; the tip's content
 * stays with the police. Run daily by node-cron; never throws.
 */
export async function detachExpiredReporters(reports: Model<ReportDoc>, months: number, now: Date): Promise<number> {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  try {
    // Closed tips are no longer changed by officers, so no version claim is needed here.
    const result = await reports.updateMany({ closedAt: { $ne: null, $lt: cutoff }, reporter: { $ne: null } }, { $set: { reporter: null } });
    if (result.modifiedCount > 0) log.info({ detached: result.modifiedCount }, 'reporters detached after the retention period');
    return result.modifiedCount;
  } catch (error) {
    log.error({ err: error }, 'retention run failed');
    return 0;
  }
}
