import { AppError } from '../../shared/errors';
import type { ReceiptGenerator, ReceiptPrefix } from './receipt-code';
import type { ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

const MAX_CODE_ATTEMPTS = 8;

/**
 * Stores a new report under a fresh receipt code, once per submission key:
 * resolves only once the server acknowledged the write (the driver's default
 * write concern), so the receipt a resident is given always names a stored
 * report, and a double-tapped "send" returns the first report.
 */
export async function fileReport(
  reports: Pick<ReportRepository, 'submitted' | 'insert'>,
  doc: Omit<ReportDoc, 'code'>,
  prefix: ReceiptPrefix,
  nextCode: ReceiptGenerator,
): Promise<{ id: string; code: string }> {
  const existing = await reports.submitted(doc.submissionKey);
  if (existing) return { id: existing._id, code: existing.code };
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt += 1) {
    const code = nextCode(prefix);
    if (await reports.insert({ ...doc, code })) return { id: doc._id, code };
    const again = await reports.submitted(doc.submissionKey);
    if (again) return { id: again._id, code: again.code };
    // The code was taken by another report: draw another.
  }
  throw new AppError('receipt_exhausted', `No free receipt code after ${MAX_CODE_ATTEMPTS} attempts`);
}
