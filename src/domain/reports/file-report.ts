import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { ReceiptGenerator, ReceiptPrefix } from './receipt-code';
import { isHappeningNow, type ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

const MAX_CODE_ATTEMPTS = 8;

/**
 * The `_id` of the report filed from a draft: derived from its submission
 * key, so the insert itself says whether that draft was filed already (one
 * request, by `_id`, whatever the number of stored reports). UUID-shaped, so
 * it reads like any other report id; it reveals nothing of the key.
 */
export function reportIdFor(submissionKey: string): string {
  const hex = createHash('sha256').update(`report:${submissionKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Puts a case's cards on their way to the desks of its units, before the case is stored (see DeskDeliveryWorker.plan). */
/** Plans a case's desk cards; `urgent` cards (a tip happening now) go before any other waiting card. */
export type PlanDeliveries = (reportId: string, unitIds: string[], options?: { urgent: boolean }) => Promise<void>;

/**
 * Stores a new report under a fresh receipt code, once per submission key
 * (`doc._id` is `reportIdFor(submissionKey)`): resolves only once the server
 * acknowledged the write (the driver's default write concern), so the
 * receipt a resident is given always names a stored report, and a
 * double-tapped "send" returns the first report. Its desk cards are planned
 * first, so no stored report is ever without them.
 */
export async function fileReport(
  reports: Pick<ReportRepository, 'codeOf' | 'insert'>,
  doc: Omit<ReportDoc, 'code'>,
  prefix: ReceiptPrefix,
  nextCode: ReceiptGenerator,
  planDeliveries: PlanDeliveries,
): Promise<{ id: string; code: string }> {
  await planDeliveries(doc._id, doc.unitIds, { urgent: isHappeningNow(doc) });
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt += 1) {
    const code = nextCode(prefix);
    if (await reports.insert({ ...doc, code })) return { id: doc._id, code };
    const filed = await reports.codeOf(doc._id);
    if (filed) return { id: doc._id, code: filed };
    // The code was taken by another report: draw another.
  }
  throw new AppError('receipt_exhausted', `No free receipt code after ${MAX_CODE_ATTEMPTS} attempts`);
}
