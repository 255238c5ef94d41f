import type { UnitDirectory } from '../../config/units';
import type { OutboundMessage } from '../../core/chat';
import type { OnBehalfOf, ReportDoc } from '../../core/report';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';

/**
 * A card read for other units (the fallback desk for units without a desk,
 * the unit a late case escalates to): it opens by saying whose case it is
 * and why it is here, and carries no buttons, since acting on it is theirs.
 */
export function onBehalfCard(card: OutboundMessage, report: Pick<ReportDoc, 'deadlines'>, onBehalfOf: OnBehalfOf, units: UnitDirectory, t: Translate): OutboundMessage {
  const names = onBehalfOf.unitIds.map((id) => units.byId(id)?.name ?? id).join(', ');
  const note =
    onBehalfOf.reason === 'no_desk'
      ? t('desk.on_behalf.no_desk', { units: names })
      : t('desk.on_behalf.escalated', { units: names, due: formatVietnamTime(report.deadlines.ackDueAt, 'vi') });
  return { ...card, text: `${note}\n\n${card.text}`, buttons: [] };
}
