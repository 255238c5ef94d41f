import type { UnitDirectory } from '../../config/units';
import type { ReportDoc } from '../../core/report';
import type { CardOptions } from '../../domain/desks/card-options';
import type { Translate } from '../../i18n';
import { clip } from '../../shared/text';
import { formatVietnamTime } from '../../shared/vietnam-time';

const SHOWN_FORWARDS = 3;
const MAX_LINE = 200;

/**
 * What a unit receiving a forwarded case must know: where it came from and
 * why, and the exchange with the reporter so far (files are attached to the
 * card with the rest of the evidence). The assessment shows in the status
 * line, as on any card. Nothing for a case that was never forwarded.
 */
export function forwardContextLines(report: Pick<ReportDoc, 'forwards'>, options: CardOptions, units: UnitDirectory, t: Translate): string[] {
  if (report.forwards.length === 0) return [];
  const name = (unitId: string | null) => (unitId ? (units.byId(unitId)?.name ?? unitId) : '');
  const lines = report.forwards
    .slice(-SHOWN_FORWARDS)
    .map((f) => t('desk.card.forwarded_from', { unit: name(f.fromUnitId), time: formatVietnamTime(f.at, 'vi'), reason: f.reason }));
  const thread = options.thread ?? [];
  if (thread.length > 0) {
    lines.push(t('desk.card.thread_title', { count: thread.length }));
    for (const entry of thread) {
      const who = entry.from === 'reporter' ? t('desk.card.thread_reporter') : name(entry.unitId);
      const text = [entry.text ? clip(entry.text.replace(/\s+/g, ' ').trim(), MAX_LINE) : null, entry.withFile ? t('desk.card.thread_file') : null].filter(Boolean).join(' ');
      lines.push(`• ${formatVietnamTime(entry.at, 'vi')} ${who}: ${text}`);
    }
  }
  return lines;
}
