import { caseKindOfCode } from '../../domain/reports/receipt-code';

/** Keys whose words differ for a dispute (vụ việc hòa giải, tổ hòa giải) and a tip (tin báo, cán bộ trực ban). */
const DISPUTE_WORDED = new Set(['prompt', 'sent', 'not_found', 'not_yours', 'too_many_files']);

/** The locale key for a follow-up message about the case with this code, in the words of its kind. */
export function followupKey(message: string, code: string): string {
  return DISPUTE_WORDED.has(message) && caseKindOfCode(code) === 'dispute' ? `followup.${message}_dispute` : `followup.${message}`;
}
