import type { UnitDirectory } from '../../config/units';
import { foldVietnamese } from '../../shared/text';
import { parseVietnamDateTime } from '../../shared/vietnam-time';
import type { DeskDeliveryRepository } from '../../storage/desk-delivery-repository';
import { LOST, untilWon } from '../../shared/conflict-retry';
import { parseReceiptCode } from '../reports/receipt-code';
import type { Actor, TriageService } from '../triage/triage-service';
import type { ShowCard } from '../desks/card-options';
import type { DisputeIntake } from './dispute-intake';
import type { DeskRefusal } from '../triage/triage-result';
import type { MediationStep, ReporterNotice } from '../followup/reporter-notice';
import { auditOf, type ReportChanges } from '../triage/report-changes';
import type { DisputeDetails, ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';
import { DeskService } from '../desks/desk-service';

/** A change to a mediation case, from its desk card or the question a button opened. */
export type MediationChange =
  | { kind: 'assign'; names: string }
  | { kind: 'declare_conflict'; name: string }
  | { kind: 'schedule'; text: string }
  | { kind: 'settle'; agreement: string | null }
  | { kind: 'continue' }
  | { kind: 'refer'; authority: string }
  | { kind: 'close' };

/** A change ready to write: fields to set, the new status and history entries, and what to tell the requester. */
interface Plan {
  report: ReportDoc;
  set: Record<string, unknown>;
  status: ReportDoc['status'] | null;
  pushes: { status: ReportDoc['status']; at: Date }[];
  told: MediationStep | null;
}

/** Why a change to a mediation case cannot be made now (with what the officer needs to put it right). */
export type MediationRefusal =
  | { why: DeskRefusal | 'not_now' | 'not_a_dispute' | 'assign_first' | 'schedule_invalid' | 'schedule_past' | 'conflict_usage' | 'changed_meanwhile' }
  /** Sessions one case may have without agreement before it must be closed or referred. */
  | { why: 'too_many_sessions'; max: number }
  | { why: 'assign_invalid'; max: number }
  | { why: 'not_on_roster'; name: string; roster: string }
  | { why: 'conflict'; name: string }
  /** A result recorded before the session's time: the session must have been brought forward first (Đổi lịch, with when it was held). */
  | { why: 'before_session'; at: Date };

/** What a change to a mediation case came to; `done` needs no words (the card shows it). */
export type MediationResult = { kind: 'done' } | { kind: 'conflict_recorded'; name: string; code: string } | { kind: 'refused'; refusal: MediationRefusal };


const HOUR_MS = 3_600_000;
const MAX_MEDIATORS = 5;
/** Sessions one dispute may have (the first and those continued after it). */
export const MAX_SESSIONS = 10;

interface Ports {
  showCard: ShowCard;
}

/**
 * The mediation team's work on a dispute: assign mediators (never one with a
 * conflict of interest), schedule a session, record the result (settled with
 * an agreement, or not settled: another session or a referral), close. Each
 * change is scoped to the team's unit, serialized by the report's version,
 * audited, shown on every desk card and told to the requester.
 */
export class MediationService {
  constructor(
    private readonly models: { reports: ReportRepository; deliveries: Pick<DeskDeliveryRepository, 'cardIn'> },
    private readonly triage: Pick<TriageService, 'authorize'>,
    private readonly intake: Pick<DisputeIntake, 'partiesOf'>,
    private readonly units: UnitDirectory,
    private readonly startDays: number,
    private readonly ports: Ports,
    private readonly changes: Pick<ReportChanges, 'write'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Opens the "not settled" menu (another session or a referral) on the officer's card. */
  async openUnsettledMenu(actor: Actor, reportId: string): Promise<MediationResult> {
    const allowed = await this.triage.authorize(actor, reportId);
    if ('refusal' in allowed) return refused({ why: allowed.refusal });
    if (allowed.report.status !== 'scheduled') return refused({ why: 'not_now' });
    const ahead = sessionAhead(allowed.report, this.clock());
    if (ahead) return refused({ why: 'before_session', at: ahead });
    const delivery = await this.models.deliveries.cardIn(reportId, allowed.desk._id);
    await this.ports.showCard(actor.address, delivery?.messageRef ?? null, allowed.report, { menu: 'unsettled', viewerUnitId: allowed.desk.unitId, lang: DeskService.languageOf(allowed.desk) });
    return { kind: 'done' };
  }

  /** /xungdot <mã> <tên>: a mediator declared a conflict of interest in a case; they are taken off it and cannot be assigned. */
  async declareConflict(actor: Actor, args: string): Promise<MediationResult> {
    const [typedCode, ...name] = args.trim().split(/\s+/);
    const code = typedCode ? parseReceiptCode(typedCode) : null;
    if (!code || name.length === 0) return refused({ why: 'conflict_usage' });
    const reportId = await this.models.reports.idByCode(code);
    if (!reportId) return refused({ why: 'unknown_report' });
    return this.apply(actor, reportId, { kind: 'declare_conflict', name: name.join(' ').slice(0, 60) });
  }

  /** The team's mediators (from config), for the assignment question. */
  mediatorsOf(unitId: string): string[] {
    return this.units.byId(unitId)?.mediators ?? [];
  }

  async apply(actor: Actor, reportId: string, change: MediationChange): Promise<MediationResult> {
    const allowed = await this.triage.authorize(actor, reportId);
    if ('refusal' in allowed) return refused({ why: allowed.refusal });
    const { desk } = allowed;
    const now = this.clock();
    // Checked on the latest version, then that version is claimed: a refused change claims nothing.
    const plan = await untilWon(async (): Promise<Plan | MediationResult | typeof LOST> => {
      const report = await this.models.reports.byId(reportId);
      if (!report) return refused({ why: 'unknown_report' });
      const planned = this.plan(report, desk.unitId, change, now);
      if ('refusal' in planned) return refused(planned.refusal);
      return (await this.models.reports.claimVersion(report, actor.name ?? actor.userId, now)) ? planned : LOST;
    });
    if (plan === LOST) return refused({ why: 'changed_meanwhile' });
    if ('kind' in plan) return plan;

    const { report, set, status, pushes, told } = plan;
    const next = { ...report, status: status ?? report.status, dispute: report.dispute ? { ...report.dispute, ...disputeFields(set) } : null };
    await this.changes.write(
      report,
      {
        $set: { ...set, ...(status ? { status } : {}) },
        ...(pushes.length > 0 ? { $push: { statusHistory: { $each: pushes } } } : {}),
        $inc: { version: 1 },
      },
      {
        audit: auditOf(
          desk.unitId,
          actor,
          `mediation_${change.kind}`,
          { status: report.status, mediators: report.dispute?.mediators, session: report.dispute?.session },
          // Field paths ("dispute.session") cannot be stored as keys: the audit keeps their last part. An agreement's words are kept encrypted.
          { status: next.status, ...Object.fromEntries(Object.entries(set).filter(([path]) => path !== 'dispute.agreement').map(([path, value]) => [path.split('.').pop(), value])) },
        ),
        sealedInAudit: typeof set['dispute.agreement'] === 'string' ? { agreement: set['dispute.agreement'] } : undefined,
        notice: told && report.reporter ? { residentKey: report.reporter.residentKey, notice: this.requesterNotice(next, told, desk.unitId) } : null,
        forwardedTo: [],
      },
    );
    return change.kind === 'declare_conflict' ? { kind: 'conflict_recorded', name: change.name.trim(), code: report.code } : { kind: 'done' };
  }

  /** What a change does to the case as it stands, or why it cannot be made now. */
  private plan(report: ReportDoc, unitId: string, change: MediationChange, now: Date): Plan | { refusal: MediationRefusal } {
    const dispute = report.dispute;
    if (report.kind !== 'dispute' || !dispute) return { refusal: { why: 'not_a_dispute' } };
    const from = (allowed: ReportDoc['status'][]): boolean => allowed.includes(report.status);
    const make = (set: Record<string, unknown>, status: ReportDoc['status'] | null, told: MediationStep | null, via: ReportDoc['status'] | null = null): Plan => {
      const pushes = [via, status].filter((s): s is ReportDoc['status'] => s !== null && s !== report.status).map((s) => ({ status: s, at: now }));
      return { report, set, status, pushes, told };
    };
    switch (change.kind) {
      case 'assign': {
        if (!from(['received', 'assigned'])) return { refusal: { why: 'not_now' } };
        const picked = this.pickMediators(unitId, change.names, report);
        if ('refusal' in picked) return picked;
        const startBy = new Date(now.getTime() + this.startDays * 24 * HOUR_MS);
        // A new deadline: the reminder job looks at the case at its next run.
        return make(
          { 'dispute.mediators': picked.names, 'dispute.assignedAt': now, 'deadlines.outcomeDueAt': startBy, 'deadlines.remindAt': now, assignee: { unitId, name: picked.names.join(', ') } },
          'assigned',
          'assigned',
        );
      }
      case 'declare_conflict': {
        const name = change.name.trim();
        if (name.length < 2) return { refusal: { why: 'conflict_usage' } };
        const remaining = dispute.mediators.filter((m) => !sameName(m, name));
        const unassigned = report.status === 'assigned' && remaining.length === 0;
        const conflicts = [...dispute.conflicts.filter((c) => !sameName(c, name)), name];
        return make({ 'dispute.conflicts': conflicts, 'dispute.mediators': remaining, ...(unassigned ? { 'deadlines.remindAt': now } : {}) }, unassigned ? 'received' : null, null);
      }
      case 'schedule': {
        if (!from(['assigned', 'scheduled'])) return { refusal: { why: 'assign_first' } };
        const parsed = parseVietnamDateTime(change.text, now);
        if (!parsed || !parsed.hasTime || parsed.rest.length < 3) return { refusal: { why: 'schedule_invalid' } };
        const session = { at: parsed.at, place: parsed.rest.slice(0, 200) };
        if (parsed.at.getTime() >= now.getTime()) return make({ 'dispute.session': session }, 'scheduled', 'scheduled');
        // A time already past is a session brought forward and held: recorded (and audited) so its result can be, told to nobody again.
        const broughtForward = dispute.session !== null && parsed.at < dispute.session.at && parsed.at >= (dispute.assignedAt ?? report.createdAt);
        return broughtForward ? make({ 'dispute.session': session }, 'scheduled', null) : { refusal: { why: 'schedule_past' } };
      }
      case 'settle':
      case 'continue':
      case 'refer': {
        const ahead = sessionAhead(report, now);
        if (ahead) return { refusal: { why: 'before_session', at: ahead } };
        return this.recordResult(report, change, make);
      }
      case 'close':
        return from(['settled', 'not_settled']) ? make({ closedAt: now, outcome: 'handled' }, 'closed', 'closed') : { refusal: { why: 'not_now' } };
    }
  }

  /** A session's result: settled with an agreement, not settled with another session, or referred. */
  private recordResult(
    report: ReportDoc,
    change: Extract<MediationChange, { kind: 'settle' | 'continue' | 'refer' }>,
    make: (set: Record<string, unknown>, status: ReportDoc['status'] | null, told: MediationStep | null, via?: ReportDoc['status'] | null) => Plan,
  ): Plan | { refusal: MediationRefusal } {
    if (report.status !== 'scheduled') return { refusal: { why: 'not_now' } };
    switch (change.kind) {
      case 'settle':
        return make({ 'dispute.result': 'settled', 'dispute.agreement': change.agreement }, 'settled', 'settled');
      case 'continue':
        // Each unsuccessful session adds to the case's history: after MAX_SESSIONS it is referred or closed, not continued.
        if (report.statusHistory.filter((h) => h.status === 'not_settled').length >= MAX_SESSIONS - 1) return { refusal: { why: 'too_many_sessions', max: MAX_SESSIONS } };
        return make({ 'dispute.session': null }, 'assigned', 'continued', 'not_settled');
      case 'refer':
        return make({ 'dispute.result': 'not_settled', 'dispute.referral': change.authority }, 'not_settled', 'referred');
    }
  }

  /**
   * The names typed for an assignment, matched to the team's list (with or
   * without diacritics). Refused: names not on the list, and anyone with a
   * conflict of interest (a party to the dispute, or declared in this case).
   */
  private pickMediators(unitId: string, typed: string, report: ReportDoc): { names: string[] } | { refusal: MediationRefusal } {
    const wanted = typed.split(/[,;\n]+/).map((n) => n.trim()).filter(Boolean);
    if (wanted.length === 0 || wanted.length > MAX_MEDIATORS || wanted.some((n) => n.length < 2 || n.length > 60)) return { refusal: { why: 'assign_invalid', max: MAX_MEDIATORS } };
    const roster = this.mediatorsOf(unitId);
    const names: string[] = [];
    for (const name of wanted) {
      const known = roster.length === 0 ? name : roster.find((m) => sameName(m, name));
      if (!known) return { refusal: { why: 'not_on_roster', name, roster: roster.join(', ') } };
      if (!names.includes(known)) names.push(known);
    }
    const parties = this.intake.partiesOf(report);
    const partyText = foldVietnamese(`${parties?.requester.name ?? ''} | ${parties?.otherParty ?? ''}`);
    const conflicted = names.find((n) => report.dispute?.conflicts.some((c) => sameName(c, n)) || partyText.includes(foldVietnamese(n)));
    if (conflicted) return { refusal: { why: 'conflict', name: conflicted } };
    return { names };
  }

  /** What the requester hears of a step, in their language; session date and place included. */
  private requesterNotice(report: Pick<ReportDoc, 'code' | 'dispute'>, step: MediationStep, unitId: string): ReporterNotice {
    return {
      kind: 'mediation',
      step,
      code: report.code,
      unit: this.units.byId(unitId)?.name ?? '',
      session: report.dispute?.session ?? null,
      authority: report.dispute?.referral ?? '',
      days: this.startDays,
    };
  }
}

/** The dispute's own fields among a change's paths ("dispute.session" → session). */
function disputeFields(set: Record<string, unknown>): Partial<DisputeDetails> {
  return Object.fromEntries(Object.entries(set).filter(([path]) => path.startsWith('dispute.')).map(([path, value]) => [path.slice('dispute.'.length), value])) as Partial<DisputeDetails>;
}

function refused(refusal: MediationRefusal): MediationResult {
  return { kind: 'refused', refusal };
}

/** The time of a session not held yet, when the case waits for one; null once it is due. */
export function sessionAhead(report: Pick<ReportDoc, 'status' | 'dispute'>, now: Date): Date | null {
  const at = report.status === 'scheduled' ? report.dispute?.session?.at : undefined;
  return at && at.getTime() > now.getTime() ? at : null;
}

function sameName(a: string, b: string): boolean {
  return foldVietnamese(a) === foldVietnamese(b);
}
