import type { Translate } from '../../i18n';
import { deskPayload } from '../../core/payloads';
import type { Button } from '../../core/chat';
import { OUTCOMES, type ReportDoc } from '../../core/report';
import type { CardMenu } from '../../domain/desks/card-options';
import type { DeskButtonAction } from '../../domain/triage/triage-actions';

/**
 * The buttons a card shows for the tip's current state: none once it is
 * closed, or in a desk whose unit no longer holds it. The forward menu lists
 * the other units (`units`: id and name).
 */
export function triageButtons(
  report: Pick<ReportDoc, '_id' | 'status' | 'assessment' | 'unitIds'>,
  t: Translate,
  menu: CardMenu = null,
  units: { id: string; name: string }[] = [],
): Button[][] {
  const button = (action: DeskButtonAction, key: string): Button => ({ label: t(key), payload: deskPayload(report._id, action) });
  if (report.status === 'closed') return [];
  if (menu === 'forward') {
    return [
      ...units.filter((u) => !report.unitIds.includes(u.id)).map((u) => [{ label: u.name, payload: deskPayload(report._id, `fwd:${u.id}`) }]),
      [button('close_back', 'common.back')],
    ];
  }
  if (report.status === 'received') return [[button('accept', 'triage.accept')], [button('forward_menu', 'triage.forward')]];
  if (menu === 'close') {
    return [
      ...OUTCOMES.map((outcome) => [button(`close:${outcome}`, `outcome.${outcome}`)]),
      [button('close_back', 'common.back')],
    ];
  }
  const rows: Button[][] = [];
  if (!report.assessment) rows.push([button('valuable', 'triage.valuable'), button('not_valuable', 'triage.not_valuable')]);
  rows.push([button('reply', 'triage.reply')]);
  rows.push([button('forward_menu', 'triage.forward'), button('close_menu', 'triage.close')]);
  return rows;
}

/** One line on the card that says where the tip stands. */
export function triageStatusLine(report: Pick<ReportDoc, 'status' | 'assessment' | 'assignee' | 'outcome' | 'duplicateOf'>, t: Translate): string {
  // The desk's own words: a new tip is waiting for the desk, not yet "received" by it.
  const parts = [report.status === 'received' ? t('triage.waiting') : t(`status.${report.status}`)];
  if (report.assignee?.name) parts.push(t('triage.assigned_to', { name: report.assignee.name }));
  if (report.assessment) parts.push(t(`triage.${report.assessment}`));
  if (report.outcome) parts.push(report.duplicateOf ? t('triage.duplicate_of', { code: report.duplicateOf }) : t(`outcome.${report.outcome}`));
  return t('triage.status_line', { status: parts.join(' · ') });
}
