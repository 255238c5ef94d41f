import { moduleLogger } from '../../shared/logger';
import type { ReportRepository } from '../../storage/report-repository';

const log = moduleLogger('retention');

/**
 * Keeps the promise of the privacy notice: a closed tip keeps its reporter's
 * personal data (contact, and the link to their chat) for at most
 * `months` after closing. Then the reporter is detached; the tip's content
 * stays with the police. Run daily by node-cron; never throws.
 */
export async function detachExpiredReporters(reports: Pick<ReportRepository, 'detachClosedBefore'>, months: number, now: Date): Promise<number> {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  try {
    // Closed tips are no longer changed by officers, so no version claim is needed here.
    const detached = await reports.detachClosedBefore(cutoff);
    if (detached > 0) log.info({ detached }, 'reporters detached after the retention period');
    return detached;
  } catch (error) {
    log.error({ err: error }, 'retention run failed');
    return 0;
  }
}
