import type { Catalog } from '../../config/catalog';
import type { UnitDirectory } from '../../config/units';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';
import type { EvidenceStore } from '../../domain/evidence/evidence-store';
import type { CardOptions } from '../../domain/desks/card-options';
import { triageButtons, triageStatusLine } from './triage-buttons';
import { forwardContextLines } from './forward-context';
import type { OutboundMessage } from '../../core/chat';
import { isHappeningNow, type ReportDoc } from '../../core/report';

/**
 * The message an officer desk receives for a tip. Built only from the report
 * and, for a named report, its decrypted contact: an anonymous reporter's
 * chat, pseudonym or name never enters it.
 */
export function buildDeskCard(
  report: ReportDoc,
  contact: { phone: string; name: string | null } | null,
  deps: { catalog: Catalog; units: UnitDirectory; t: Translate; evidence: EvidenceStore },
  options: CardOptions = {},
): OutboundMessage {
  const { catalog, t, evidence } = deps;
  const title = t(report.status === 'received' ? 'desk.card.title' : report.status === 'closed' ? 'desk.card.title_closed' : 'desk.card.title_open', { code: report.code });
  const lines = [
    // Happening now: marked first, while the case is open.
    isHappeningNow(report) && report.status !== 'closed' ? `${t('desk.card.happening_now')}\n${title}` : title,
    t('desk.card.category', { group: t(`group.${report.group}`), category: t(`category.${report.category}`) }),
    t('desk.card.received', { time: formatVietnamTime(report.createdAt, 'vi') }),
    t('desk.card.description', { text: report.description }),
    t('desk.card.place', { place: describePlace(report, catalog, t) }),
    t('desk.card.occurred', { when: describeOccurred(report, t) }),
  ];
  if (report.suspects.text) lines.push(t('desk.card.suspects', { text: report.suspects.text }));
  if (report.relatedCodes.length > 0) lines.push(t('desk.card.related', { codes: relatedLine(report, deps.units, options.viewerUnitId, t) }));
  if (report.evidence.length > 0) lines.push(t('desk.card.evidence', { count: report.evidence.length }));
  lines.push(
    report.anonymous || !contact
      ? t('desk.card.anonymous')
      : t('desk.card.named', { name: contact.name ?? t('desk.card.no_name'), phone: contact.phone }),
  );
  lines.push(t('desk.card.channel', { channel: t(`channel.${report.channel}`) }));
  if (report.status === 'closed' && report.subjects !== undefined && report.subjects !== null) lines.push(t('desk.card.subjects', { count: report.subjects }));
  // The model whose link brought the reporter: which neighbourhood group the tip came through, never who sent it.
  if (report.model) lines.push(t('desk.card.model', { name: report.model.name }));
  lines.push(triageStatusLine(report, t));
  // A desk whose unit forwarded the tip keeps the card, with where it went and no buttons.
  const forwardedAway = options.viewerUnitId !== undefined && !report.unitIds.includes(options.viewerUnitId);
  const lastForward = report.forwards[report.forwards.length - 1];
  if (forwardedAway && lastForward) {
    lines.push(t('desk.card.forwarded', { unit: deps.units.byId(lastForward.toUnitId)?.name ?? lastForward.toUnitId, reason: lastForward.reason }));
  } else {
    lines.push(...forwardContextLines(report, options, deps.units, t));
  }

  const { lat, lon } = report.location;
  return {
    text: lines.join('\n'),
    buttons: forwardedAway ? [] : triageButtons(report, t, options.menu ?? null, deps.units.forwardTargets('tip', options.viewerUnitId ?? report.unitIds[0] ?? '')),
    location: report.location.kind === 'point' && lat !== null && lon !== null ? { lat, lon } : undefined,
    attachments: report.evidence.map((item) => evidence.attachment(item)),
  };
}

/** The related tips' codes; one this desk's unit does not hold says which unit does (it cannot be opened here). */
function relatedLine(report: Pick<ReportDoc, 'relatedCodes' | 'relatedHolders'>, units: UnitDirectory, viewerUnitId: string | undefined, t: Translate): string {
  const holders = new Map((report.relatedHolders ?? []).map((h) => [h.code, h.unitIds]));
  return report.relatedCodes
    .map((code) => {
      const unitIds = holders.get(code);
      if (!unitIds || viewerUnitId === undefined || unitIds.includes(viewerUnitId)) return code;
      return t('desk.card.related_elsewhere', { code, units: unitIds.map((id) => units.byId(id)?.name ?? id).join(', ') });
    })
    .join(', ');
}

/** Where it happened, with the ward the bot understood: "hẻm 12 Trần Văn Đang · Phường 4". */
export function describePlace(report: Pick<ReportDoc, 'location'>, catalog: Catalog, t: Translate): string {
  const { location } = report;
  const ward = location.wardId ? catalog.wardById(location.wardId)?.name : undefined;
  switch (location.kind) {
    case 'ward':
      return ward ?? t('place.unknown');
    case 'unknown':
      return ward ?? t('place.unknown');
    case 'address':
      return `${location.address ?? t('place.unknown')} · ${ward ?? t('place.no_ward')}`;
    case 'point':
      return `${t('place.point', { lat: location.lat?.toFixed(5) ?? '?', lon: location.lon?.toFixed(5) ?? '?' })} · ${ward ?? t('place.no_ward')}`;
  }
}

export function describeOccurred(report: Pick<ReportDoc, 'occurred'>, t: Translate): string {
  return report.occurred.kind === 'other' && report.occurred.text ? report.occurred.text : t(`occurred.${report.occurred.kind}`);
}
