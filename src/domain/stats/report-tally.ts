import { startOfVietnamWeek, type Period } from '../../shared/vietnam-period';
import type { ChannelName } from '../../core/chat';
import { OUTCOMES, type Outcome, type ReportDoc } from '../../core/report';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const CHANNELS: readonly ChannelName[] = ['telegram', 'zalo', 'webchat'];
export const TIP_STATES = ['waiting', 'in_progress', 'closed'] as const;
export const ASSESSMENTS = ['valuable', 'not_valuable', 'pending'] as const;
export const DISPUTE_RESULTS = ['settled', 'not_settled', 'referred', 'pending'] as const;

/** The fields of a report the figures are computed from (the statistics query projects exactly these). */
export type TallySource = Pick<
  ReportDoc,
  'kind' | 'category' | 'group' | 'channel' | 'unitIds' | 'statusHistory' | 'forwards' | 'assessment' | 'assessedAt' | 'outcome' | 'createdAt' | 'subjects' | 'model'
> & {
  deadlines: Pick<ReportDoc['deadlines'], 'ackDueAt' | 'outcomeDueAt' | 'extensions'>;
  /** Absent for tips (the query projects only the referral of a dispute). */
  dispute?: { referral?: string | null } | null;
};

/** What a period's tips and disputes add up to, as they stood at `asOf`. */
export interface ReportFigures {
  tips: {
    received: number;
    byGroup: Record<string, number>;
    byCategory: Record<string, number>;
    byAssessment: Record<(typeof ASSESSMENTS)[number], number>;
    byState: Record<(typeof TIP_STATES)[number], number>;
    byOutcome: Record<Outcome, number>;
    byChannel: Record<string, number>;
    /** Open tips past a deadline: not yet accepted past the acknowledgement deadline, without an outcome past the outcome deadline, and either. */
    overdue: { ack: number; outcome: number; any: number };
    medianHoursToAccept: number | null;
    medianHoursToClose: number | null;
    /** Tips this unit received in the period and forwarded to another unit (not counted in `received`). */
    forwardedAway: number;
    weekly: WeekFigures[];
    /** Cases handled (closed as handled or prosecuted) and the subjects dealt with in them, in all and per reporting group. */
    handled: CaseCount;
    handledByGroup: Record<string, CaseCount>;
    /** Per self-management model (by id): the tips that came through it, valuable ones, and the cases and subjects among them. */
    byModel: Record<string, ModelTipFigures>;
  };
  disputes: {
    received: number;
    byKind: Record<string, number>;
    byResult: Record<(typeof DISPUTE_RESULTS)[number], number>;
    forwardedAway: number;
  };
}

export interface CaseCount {
  cases: number;
  subjects: number;
}

export interface ModelTipFigures extends CaseCount {
  tips: number;
  valuable: number;
}

/** The outcomes that count as a case handled, with its subjects (as reviews state "xử lý … vụ việc với … đối tượng"). */
export const HANDLED_OUTCOMES: readonly Outcome[] = ['handled', 'prosecuted'];

/**
 * Figures kept before the case and model figures existed read as zero for
 * them (an ended period's snapshot is never computed again).
 */
type CaseFields = 'handled' | 'handledByGroup' | 'byModel';
export type KeptReportFigures = Omit<ReportFigures, 'tips'> & { tips: Omit<ReportFigures['tips'], CaseFields> & Partial<Pick<ReportFigures['tips'], CaseFields>> };

export function withCaseFigures(kept: KeptReportFigures): ReportFigures {
  return { ...kept, tips: { handled: { cases: 0, subjects: 0 }, handledByGroup: {}, byModel: {}, ...kept.tips } };
}

export interface WeekFigures {
  /** Monday 00:00, Vietnam time. */
  start: Date;
  byGroup: Record<string, number>;
  total: number;
  valuable: number;
}

export interface TallyLists {
  groups: readonly string[];
  categories: readonly string[];
  disputeKinds: readonly string[];
}

/**
 * Adds up reports one at a time (the statistics stream them, so memory holds
 * only the figures and the durations the medians need). Every figure is taken
 * as the report stood at `asOf` (the period's end, or now for a period under
 * way), from the report's own history: which units held it, its statuses,
 * its assessment and deadline extensions. So a period that has ended always
 * gives the same numbers, whatever officers did afterwards.
 *
 * `unitId` scopes it to one unit (null: every unit): a report counts where
 * that unit held it at `asOf`; one it had forwarded away by then is counted
 * apart.
 */
export class ReportTally {
  private readonly tipFigures: ReportFigures['tips'];
  private readonly disputeFigures: ReportFigures['disputes'];
  private readonly acceptDurations: number[] = [];
  private readonly closeDurations: number[] = [];
  private readonly weeks = new Map<number, WeekFigures>();

  constructor(
    lists: TallyLists,
    private readonly period: Period,
    private readonly asOf: Date,
    private readonly unitId: string | null,
  ) {
    this.tipFigures = {
      received: 0,
      byGroup: zeros(lists.groups),
      byCategory: zeros(lists.categories),
      byAssessment: zeros(ASSESSMENTS),
      byState: zeros(TIP_STATES),
      byOutcome: zeros(OUTCOMES),
      byChannel: zeros(CHANNELS),
      overdue: { ack: 0, outcome: 0, any: 0 },
      medianHoursToAccept: null,
      medianHoursToClose: null,
      forwardedAway: 0,
      weekly: [],
      handled: { cases: 0, subjects: 0 },
      handledByGroup: Object.fromEntries(lists.groups.map((g) => [g, { cases: 0, subjects: 0 }])),
      byModel: {},
    };
    this.disputeFigures = { received: 0, byKind: zeros(lists.disputeKinds), byResult: zeros(DISPUTE_RESULTS), forwardedAway: 0 };
    for (let week = startOfVietnamWeek(period.from).getTime(); week < asOf.getTime(); week += 7 * DAY_MS) {
      this.weeks.set(week, { start: new Date(week), byGroup: zeros(lists.groups), total: 0, valuable: 0 });
    }
  }

  add(report: TallySource): void {
    const created = new Date(report.createdAt);
    if (created < this.period.from || created >= this.asOf) return;
    const history = report.statusHistory.filter((h) => new Date(h.at) < this.asOf);
    if (this.unitId !== null && !holdersAt(report, this.asOf).includes(this.unitId)) {
      const forwardedByUs = report.forwards.some((f) => f.fromUnitId === this.unitId && new Date(f.at) < this.asOf);
      if (forwardedByUs) (report.kind === 'tip' ? this.tipFigures : this.disputeFigures).forwardedAway += 1;
      return;
    }
    if (report.kind === 'dispute') this.addDispute(report, history);
    else this.addTip(report, history, created);
  }

  figures(): ReportFigures {
    return {
      tips: {
        ...this.tipFigures,
        medianHoursToAccept: median(this.acceptDurations),
        medianHoursToClose: median(this.closeDurations),
        weekly: [...this.weeks.values()],
      },
      disputes: this.disputeFigures,
    };
  }

  private addTip(report: TallySource, history: TallySource['statusHistory'], created: Date): void {
    const tips = this.tipFigures;
    tips.received += 1;
    bump(tips.byGroup, report.group);
    bump(tips.byCategory, report.category);
    bump(tips.byChannel, report.channel);

    const last = history.at(-1)?.status;
    const state = last === 'closed' ? 'closed' : last === 'accepted' ? 'in_progress' : 'waiting';
    tips.byState[state] += 1;
    if (state === 'closed') bump(tips.byOutcome, report.outcome ?? 'handled');

    const assessment = report.assessment && new Date(report.assessedAt ?? report.createdAt) < this.asOf ? report.assessment : 'pending';
    tips.byAssessment[assessment] += 1;

    const handled = state === 'closed' && HANDLED_OUTCOMES.includes(report.outcome ?? 'handled');
    const subjects = handled ? (report.subjects ?? 0) : 0;
    if (handled) {
      tips.handled.cases += 1;
      tips.handled.subjects += subjects;
      const group = (tips.handledByGroup[report.group] ??= { cases: 0, subjects: 0 });
      group.cases += 1;
      group.subjects += subjects;
    }
    if (report.model) {
      const model = (tips.byModel[report.model.id] ??= { tips: 0, valuable: 0, cases: 0, subjects: 0 });
      model.tips += 1;
      if (assessment === 'valuable') model.valuable += 1;
      if (handled) {
        model.cases += 1;
        model.subjects += subjects;
      }
    }

    const accepted = history.find((h) => h.status === 'accepted');
    if (accepted) this.acceptDurations.push((new Date(accepted.at).getTime() - created.getTime()) / HOUR_MS);
    const closed = history.find((h) => h.status === 'closed');
    if (closed) this.closeDurations.push((new Date(closed.at).getTime() - created.getTime()) / HOUR_MS);

    if (state !== 'closed') {
      const ackLate = state === 'waiting' && new Date(report.deadlines.ackDueAt) <= this.asOf;
      const laterExtensions = report.deadlines.extensions.filter((e) => new Date(e.at) >= this.asOf).reduce((days, e) => days + e.days, 0);
      const outcomeLate = new Date(report.deadlines.outcomeDueAt).getTime() - laterExtensions * DAY_MS <= this.asOf.getTime();
      if (ackLate) tips.overdue.ack += 1;
      if (outcomeLate) tips.overdue.outcome += 1;
      if (ackLate || outcomeLate) tips.overdue.any += 1;
    }

    const week = this.weeks.get(startOfVietnamWeek(created).getTime());
    if (week) {
      week.total += 1;
      bump(week.byGroup, report.group);
      if (assessment === 'valuable') week.valuable += 1;
    }
  }

  private addDispute(report: TallySource, history: TallySource['statusHistory']): void {
    const disputes = this.disputeFigures;
    disputes.received += 1;
    bump(disputes.byKind, report.category);
    // One definition with the mediation register: a case is settled or not settled once its mediation ended that way
    // (not settled and referred to an authority is one kind of not settled); a case waiting for a (further) session,
    // after an unsettled one that was continued, is in progress.
    const latest = [...history].reverse().find((h) => h.status === 'settled' || h.status === 'not_settled' || h.status === 'scheduled' || h.status === 'assigned')?.status;
    const result = latest === 'settled' ? 'settled' : latest === 'not_settled' ? (report.dispute?.referral ? 'referred' : 'not_settled') : 'pending';
    disputes.byResult[result] += 1;
  }
}

/** The units holding a report at an instant: today's holders with later forwards undone, newest first. */
export function holdersAt(report: Pick<TallySource, 'unitIds' | 'forwards'>, at: Date): string[] {
  let holders = [...report.unitIds];
  for (const forward of [...report.forwards].reverse()) {
    if (new Date(forward.at) < at) break;
    holders = holders.filter((id) => id !== forward.toUnitId);
    if (!holders.includes(forward.fromUnitId)) holders.push(forward.fromUnitId);
  }
  return holders;
}

/** The median, rounded to a tenth (null for none). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  // To the hundredth of an hour (36 s): a median of minutes is still told in minutes.
  return Math.round(value * 100) / 100;
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Counts one under `key`, adding a row for a key no list named (a category since removed from config keeps its count). */
function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
