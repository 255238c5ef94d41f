import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/errors';
import type { ReportActionDoc } from '../../storage/models/audit-log.model';
import type { ReportDoc } from '../../storage/models/report.model';

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
  try {
    await actions.create({ _id: `${report._id}:v${report.version ?? 0}`, actorName, at });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Claims lost in a row before giving up; the waits between them double from 10 ms (about 1.3 s in all). */
const ATTEMPTS = 8;
const FIRST_WAIT_MS = 10;

/**
 * Runs `change` on the latest version of a report, retrying if another
 * writer got there first. The winner's update lands some milliseconds
 * after its claim (more on a loaded machine), so each retry waits longer
 * before reading the report again.
 */
export async function withReportVersion<T>(
  reports: Model<ReportDoc>,
  actions: Model<ReportActionDoc>,
  reportId: string,
  actorName: string | null,
  at: Date,
  change: (report: ReportDoc) => Promise<T>,
): Promise<T | 'not_found' | 'busy'> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, FIRST_WAIT_MS * 2 ** (attempt - 1)));
    const report = await reports.findOne({ _id: reportId }).lean();
    if (!report) return 'not_found';
    if (await claimReportVersion(actions, report, actorName, at)) return change(report);
  }
  return 'busy';
}
