import type { Catalog } from '../../config/catalog';
import type { UnitDirectory } from '../../config/units';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';
import type { CardMenu, CardOptions } from '../../domain/desks/card-options';
import { forwardContextLines } from './forward-context';
import type { MediationAction } from '../../domain/mediation/mediation-actions';
import { triageButtons } from './triage-buttons';
import { deskPayload } from '../../core/payloads';
import type { Button, OutboundMessage } from '../../core/chat';
import type { DisputeParties, ReportDoc } from '../../core/report';

/**
 * The card a mediation team's desk receives for a dispute. Mediation is never
 * anonymous, so the team sees both parties as the requester described them.
 */
export function buildDisputeCard(
  report: ReportDoc,
  parties: DisputeParties | null,
  deps: { catalog: Catalog; units: UnitDirectory; t: Translate },
  options: CardOptions = {},
): OutboundMessage {
  const { t, catalog } = deps;
  const dispute = report.dispute;
  const requester = parties?.requester;
  const lines = [
    t('mediation.card.title', { code: report.code }),
    t('mediation.card.kind', { kind: t(`dispute_kind.${report.category}`) }),
    t('desk.card.received', { time: formatVietnamTime(report.createdAt, 'vi') }),
    t('desk.card.description', { text: report.description }),
    t('mediation.card.since', { text: dispute?.since ?? '' }),
    t('mediation.card.tried', { text: dispute?.tried ?? t('review.none') }),
    t('mediation.card.requester', {
      name: requester?.name ?? '',
      year: requester?.birthYear ?? '?',
      phone: requester?.phone ?? '',
    }),
    t('mediation.card.other_party', { text: parties?.otherParty ?? '', agrees: t(`dispute.agrees.${dispute?.otherPartyAgrees ?? 'unknown'}`) }),
    t('desk.card.place', { place: [report.location.address, catalog.wardById(report.location.wardId ?? '')?.name].filter(Boolean).join(', ') }),
    t('mediation.card.desired', { text: dispute?.desiredOutcome ?? '' }),
    t('desk.card.channel', { channel: t(`channel.${report.channel}`) }),
    t('triage.status_line', { status: report.status === 'received' ? t('mediation.card.waiting') : t(`status.${report.status}`) }),
  ];
  if (dispute && dispute.mediators.length > 0) lines.push(t('mediation.card.mediators', { names: dispute.mediators.join(', ') }));
  if (dispute && dispute.conflicts.length > 0) lines.push(t('mediation.card.conflicts', { names: dispute.conflicts.join(', ') }));
  if (dispute?.session) lines.push(t('mediation.card.session', { when: formatVietnamTime(dispute.session.at, 'vi'), place: dispute.session.place }));
  if (dispute?.result === 'settled') lines.push(t('mediation.card.settled', { agreement: dispute.agreement ?? t('review.none') }));
  if (dispute?.referral) lines.push(t('mediation.card.referred', { authority: dispute.referral }));
  if (report.status === 'received' || report.status === 'assigned') {
    const due = report.status === 'received' ? report.deadlines.ackDueAt : report.deadlines.outcomeDueAt;
    lines.push(t(report.status === 'received' ? 'mediation.card.assign_by' : 'mediation.card.start_by', { due: formatVietnamTime(due, 'vi') }));
  }
  const forwardedAway = options.viewerUnitId !== undefined && !report.unitIds.includes(options.viewerUnitId);
  const lastForward = report.forwards[report.forwards.length - 1];
  if (forwardedAway && lastForward) {
    lines.push(t('desk.card.forwarded', { unit: deps.units.byId(lastForward.toUnitId)?.name ?? lastForward.toUnitId, reason: lastForward.reason }));
  } else {
    lines.push(...forwardContextLines(report, options, deps.units, t));
  }
  const peers = deps.units.forwardTargets('dispute', options.viewerUnitId ?? report.unitIds[0] ?? '');
  return { text: lines.join('\n'), buttons: forwardedAway ? [] : mediationButtons(report, t, options.menu ?? null, peers) };
}

function mediationButtons(report: ReportDoc, t: Translate, menu: CardMenu, peers: { id: string; name: string }[]): Button[][] {
  const button = (action: MediationAction | 'reply' | 'forward_menu' | 'close_back', key: string): Button => ({ label: t(key), payload: deskPayload(report._id, action) });
  if (menu === 'forward') return triageButtons(report, t, 'forward', peers);
  if (menu === 'unsettled') return [[button('m_continue', 'mediation.button.continue')], [button('m_refer', 'mediation.button.refer')], [button('close_back', 'common.back')]];
  const reply = [button('reply', 'mediation.button.reply')];
  switch (report.status) {
    case 'received':
      return [[button('m_assign', 'mediation.button.assign')], [button('forward_menu', 'triage.forward')]];
    case 'assigned':
      return [[button('m_schedule', 'mediation.button.schedule')], [button('m_assign', 'mediation.button.reassign')], reply];
    case 'scheduled':
      return [[button('m_settled', 'mediation.button.settled'), button('m_unsettled', 'mediation.button.unsettled')], [button('m_schedule', 'mediation.button.reschedule')], reply];
    case 'settled':
    case 'not_settled':
      return [[button('m_close', 'mediation.button.close')], reply];
    default:
      return [];
  }
}
