import type { OutboundMessage } from '../../core/chat';
import type { Due } from '../../domain/deadlines/deadline-service';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';
import { caseCategory, deadlineKey } from './case-words';

/** /quahan: the unit's cases near or past a deadline, most urgent first, as one message. */
export function overdueListMessage(t: Translate, due: Due[] | null): OutboundMessage {
  if (!due) return { text: t('triage.not_a_desk') };
  if (due.length === 0) return { text: t('deadline.none') };
  const lines = due.map((d) =>
    t('deadline.line', {
      code: d.report.code,
      category: caseCategory(t, d.report.kind, d.report.category),
      what: t(deadlineKey(d.report.kind, d.kind)),
      due: formatVietnamTime(d.dueAt, 'vi'),
    }),
  );
  return { text: [t('deadline.title', { count: due.length }), ...lines].join('\n') };
}
