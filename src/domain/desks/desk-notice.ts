import type { EvidenceRecord, ReportKind } from '../../core/report';
import type { Language } from '../../core/language';

export type ReminderKind = 'ack_soon' | 'ack_overdue' | 'outcome_soon' | 'outcome_overdue';

/**
 * What the bot tells a desk about one of its cases, in the thread of the
 * case's card, as data: the presenter says it in the desks' language.
 */
export type DeskNotice =
  /** A deadline is near or passed (`hours`: how far from it, rounded, at least 1). */
  | { kind: 'reminder'; code: string; caseKind: ReportKind; reminder: ReminderKind; dueAt: Date; hours: number; /** Units the case was escalated to with this reminder. */ escalatedTo: string[] }
  /** The reporter added text or a file to their case. */
  | { kind: 'followup'; code: string; caseKind: ReportKind; text: string | null; attachment: EvidenceRecord | null };

/** Where in a desk chat a notice goes: under the case's card, in its category's topic. */
export interface CaseThread {
  replyTo: string | undefined;
  threadId: string | undefined;
  /** The desk's language. */
  lang: Language;
}
