import type { ReportKind } from '../../core/report';
import type { Translate } from '../../i18n';

/** A case's category in words: a tip's category, or a dispute's kind. */
export function caseCategory(t: Translate, kind: ReportKind, category: string): string {
  return t(kind === 'dispute' ? `dispute_kind.${category}` : `category.${category}`);
}

/** The deadline locale key for a case: disputes have their own wording (assign mediators, start mediation). */
export function deadlineKey(kind: ReportKind, name: string): string {
  return `deadline.${kind === 'dispute' ? 'dispute_' : ''}${name}`;
}
