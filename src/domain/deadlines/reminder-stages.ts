import type { ReportDoc, ReportStatus } from '../../core/report';
import type { ReminderKind } from '../desks/desk-notice';

const HOUR_MS = 3_600_000;

/** How long before each deadline the desks are reminded (config/categories.json). */
export interface RemindBefore {
  ack: number;
  outcome: number;
}

/** One reminder a case's deadlines call for: its kind, when it is due to be sent, and the deadline it is about. */
export interface ReminderStage {
  kind: ReminderKind;
  at: Date;
  dueAt: Date;
}

/** Acceptance is due while a case waits to be accepted; an outcome (for a dispute: the start of mediation) until then. */
const WAITING: readonly ReportStatus[] = ['received'];
const OUTCOME_OPEN: readonly ReportStatus[] = ['received', 'accepted', 'assigned'];

/** Every reminder a case in its present state calls for, soonest first. */
export function reminderStages(report: Pick<ReportDoc, 'status' | 'deadlines'>, before: RemindBefore): ReminderStage[] {
  const { ackDueAt, outcomeDueAt } = report.deadlines;
  const stages: ReminderStage[] = [];
  if (WAITING.includes(report.status)) {
    stages.push({ kind: 'ack_soon', at: new Date(ackDueAt.getTime() - before.ack * HOUR_MS), dueAt: ackDueAt }, { kind: 'ack_overdue', at: ackDueAt, dueAt: ackDueAt });
  }
  if (OUTCOME_OPEN.includes(report.status)) {
    stages.push(
      { kind: 'outcome_soon', at: new Date(outcomeDueAt.getTime() - before.outcome * HOUR_MS), dueAt: outcomeDueAt },
      { kind: 'outcome_overdue', at: outcomeDueAt, dueAt: outcomeDueAt },
    );
  }
  return stages.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The reminders due now: for each deadline the latest stage reached (a case
 * found already overdue is told it is overdue, not first that it is near).
 */
export function dueStages(report: Pick<ReportDoc, 'status' | 'deadlines'>, before: RemindBefore, now: Date): ReminderStage[] {
  const reached = reminderStages(report, before).filter((stage) => stage.at <= now);
  const latest = new Map<string, ReminderStage>();
  for (const stage of reached) latest.set(stage.kind.split('_')[0], stage);
  return [...latest.values()];
}

/** When the case must next be looked at for a reminder: its first stage after `now`, or never. */
export function nextReminderAt(report: Pick<ReportDoc, 'status' | 'deadlines'>, before: RemindBefore, now: Date): Date | null {
  return reminderStages(report, before).find((stage) => stage.at > now)?.at ?? null;
}

/** A new case's deadlines, with when it is first looked at for a reminder (its first stage). */
export function withFirstReminder(due: ReportDoc['deadlines'], before: RemindBefore): ReportDoc['deadlines'] {
  return { ...due, remindAt: reminderStages({ status: 'received', deadlines: due }, before)[0]?.at ?? null };
}
