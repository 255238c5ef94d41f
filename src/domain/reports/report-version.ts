import type { Model } from 'mongoose';
import type { ReportDoc } from '../../core/report';
import { insertOnce } from '../../storage/claims';
import { LOST, untilWon } from '../../shared/conflict-retry';
import type { ReportActionDoc } from '../../storage/models/report-action.model';

/**
 * Claims the right to make the next change to a report: inserting
 * "<report>:v<version>" succeeds for one writer only. Every change after
 * filing (officer actions, deadline extensions, evidence added later) claims
 * first and then updates with `$inc: { version: 1 }`, so two changes never
 * interleave (on FerretDB an update is a read-modify-write, and interleaved
 * writes could lose one). The loser reloads the report and tries again, or
 * tells the person it changed meanwhile.
 */
export async function claimReportVersion(actions: Model<ReportActionDoc>, report: Pick<ReportDoc, '_id' | 'version'>, actorName: string | null, at: Date): Promise<boolean> {
  return insertOnce(actions, { _id: `${report._id}:v${report.version ?? 0}`, actorName, at });
}

/**
 * Runs `change` on the latest version of a report, retrying (see
 * shared/conflict-retry) if another writer got there first.
 */
export async function withReportVersion<T>(
  reports: Model<ReportDoc>,
  actions: Model<ReportActionDoc>,
  reportId: string,
  actorName: string | null,
  at: Date,
  change: (report: ReportDoc) => Promise<T>,
): Promise<T | 'not_found' | 'busy'> {
  const result = await untilWon(async (): Promise<T | 'not_found' | typeof LOST> => {
    const report = await reports.findOne({ _id: reportId }).lean();
    if (!report) return 'not_found';
    return (await claimReportVersion(actions, report, actorName, at)) ? change(report) : LOST;
  });
  return result === LOST ? 'busy' : result;
}
