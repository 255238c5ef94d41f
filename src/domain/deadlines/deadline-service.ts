import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Catalog } from '../../config/catalog';
import { moduleLogger } from '../../shared/logger';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { ReminderDoc } from '../../storage/models/reminder.model';
import type { DeskService } from '../desks/desk-service';
import type { CaseThreads } from '../desks/case-threads';
import type { ReminderKind } from '../desks/desk-notice';
import { parseReceiptCode } from '../reports/receipt-code';
import type { ChatAddress } from '../../core/chat';
import type { ReportDoc } from '../../core/report';
import { insertOnce } from '../../storage/claims';
import type { ReportRepository } from '../../storage/report-repository';
import type { UnitDirectory } from '../../config/units';
import { dueStages, nextReminderAt } from './reminder-stages';

const log = moduleLogger('deadlines');
const HOUR_MS = 3_600_000;
const MAX_EXTENSION_DAYS = 60;
/** Cases read per query, and queries per run (a run catches up on at most BATCH × MAX_ROUNDS due cases; the rest on the next run). */
const BATCH = 100;
const MAX_ROUNDS = 50;

export type { ReminderKind };
/** What /giahan came to: the new outcome deadline, or why the deadline stays. */
export type ExtensionResult = { kind: 'extended'; code: string; dueAt: Date } | { kind: 'not_a_desk' | 'not_found' | 'not_your_unit' | 'closed' | 'bad_request' | 'busy' };

/** A case near or past one of its deadlines. */
export interface Due {
  report: ReportDoc;
  kind: ReminderKind;
  dueAt: Date;
}

/**
 * Deadlines of open tips: reminders to the desks before and after each
 * deadline (once, across instances), the overdue list (/quahan) and
 * extensions with a reason (/giahan).
 */
export class DeadlineService {
  constructor(
    private readonly models: {
      reports: ReportRepository;
      reminders: Model<ReminderDoc>;
      audit: Model<AuditEntryDoc>;
    },
    private readonly desks: DeskService,
    private readonly catalog: Catalog,
    private readonly threads: CaseThreads,
    private readonly units: UnitDirectory,
    /** Sends a late case's card, for reading, to the desks of the unit its units escalate to. */
    private readonly escalate: (reportId: string, fromUnitIds: string[], toUnitId: string) => Promise<void>,
  ) {}

  /**
   * Sends every reminder that is due and not yet sent, and escalates cases
   * left unaccepted past their deadline. Reads only cases whose next
   * reminder is due (`deadlines.remindAt`), soonest first, and moves each on
   * to its next one: however many cases are overdue, a case is read once per
   * reminder, and a new one is never starved by old ones. Run by node-cron;
   * never throws. Returns how many reminders were sent.
   */
  async remind(now: Date): Promise<number> {
    let sent = 0;
    try {
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const batch = await this.models.reports.remindersDue(now, BATCH);
        for (const report of batch) sent += await this.remindOne(report, now);
        if (batch.length < BATCH) break;
      }
    } catch (error) {
      log.error({ err: error }, 'reminder run failed');
    }
    return sent;
  }

  private async remindOne(report: ReportDoc, now: Date): Promise<number> {
    const before = this.catalog.remindBeforeHours;
    let sent = 0;
    for (const stage of dueStages(report, before, now)) {
      const due: Due = { report, kind: stage.kind, dueAt: stage.dueAt };
      if (!(await this.claim(due, now))) continue;
      const escalatedTo = stage.kind === 'ack_overdue' ? await this.escalateLate(report) : [];
      await this.sendReminder(due, now, escalatedTo);
      sent += 1;
    }
    await this.models.reports.remindNext(report._id, nextReminderAt(report, before, now));
    return sent;
  }

  /** A case still unaccepted at its deadline goes to the unit each of its units escalates to; returns those units' names. */
  private async escalateLate(report: ReportDoc): Promise<string[]> {
    const byTarget = new Map<string, string[]>();
    for (const unitId of report.unitIds) {
      const target = this.units.byId(unitId)?.escalatesTo;
      if (target && !report.unitIds.includes(target)) byTarget.set(target, [...(byTarget.get(target) ?? []), unitId]);
    }
    for (const [target, from] of byTarget) {
      await this.escalate(report._id, from, target);
      log.warn({ report: report._id, from, to: target }, 'case not accepted by its deadline: escalated');
    }
    return [...byTarget.keys()].map((id) => this.units.byId(id)?.name ?? id);
  }

  /** The unit's open cases near or past a deadline, most urgent first; null when this chat is not a desk. */
  async overdueList(address: ChatAddress, now: Date): Promise<Due[] | null> {
    const desk = await this.desks.find(address);
    if (!desk) return null;
    const before = this.catalog.remindBeforeHours;
    const horizons = { ack: new Date(now.getTime() + before.ack * HOUR_MS), outcome: new Date(now.getTime() + before.outcome * HOUR_MS) };
    const due: Due[] = [];
    // Near or past a deadline means a reminder stage reached: the same rule the reminders follow.
    for (const report of await this.models.reports.nearDeadlinesOf(desk.unitId, horizons, 500)) {
      for (const stage of dueStages(report, before, now)) due.push({ report, kind: stage.kind, dueAt: stage.dueAt });
    }
    return due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  /** /giahan <mã> <số ngày> <lý do>: moves the outcome deadline, with the reason on record. */
  async extend(actor: { address: ChatAddress; userId: string; name: string | null }, args: string, now: Date): Promise<ExtensionResult> {
    const match = /^(\S+)\s+(\d{1,2})\s+(.{3,300})$/s.exec(args.trim());
    const code = match ? parseReceiptCode(match[1]) : null;
    const days = match ? Number(match[2]) : 0;
    if (!match || !code || days < 1 || days > MAX_EXTENSION_DAYS) return { kind: 'bad_request' };
    const desk = await this.desks.find(actor.address);
    if (!desk) return { kind: 'not_a_desk' };
    const report = await this.models.reports.byCode(code);
    if (!report) return { kind: 'not_found' };
    if (!report.unitIds.includes(desk.unitId)) return { kind: 'not_your_unit' };
    if (report.status === 'closed') return { kind: 'closed' };
    const reason = match[3].trim();
    const by = actor.name ?? actor.userId;
    const result = await this.models.reports.withVersion(report._id, by, now, async (latest) => {
      const outcomeDueAt = new Date(latest.deadlines.outcomeDueAt.getTime() + days * 24 * HOUR_MS);
      await this.models.reports.update(latest._id, {
        // A new deadline: the reminder job looks at the case at its next run.
        $set: { 'deadlines.outcomeDueAt': outcomeDueAt, 'deadlines.remindAt': now },
        $push: { 'deadlines.extensions': { days, reason, by, at: now } },
        $inc: { version: 1 },
      });
      await this.models.audit.create({
        _id: randomUUID(),
        reportId: latest._id,
        unitId: desk.unitId,
        actor: { channel: actor.address.channel, userId: actor.userId, name: actor.name },
        action: 'extend_deadline',
        before: { outcomeDueAt: latest.deadlines.outcomeDueAt },
        after: { outcomeDueAt, days, reason },
        at: now,
      });
      return { kind: 'extended' as const, code: latest.code, dueAt: outcomeDueAt };
    });
    return typeof result === 'string' ? { kind: result } : result;
  }

  private async claim(due: Due, now: Date): Promise<boolean> {
    return insertOnce(this.models.reminders, { _id: `${due.report._id}:${due.kind}:${due.dueAt.getTime()}`, reportId: due.report._id, sentAt: now });
  }

  private async sendReminder(due: Due, now: Date, escalatedTo: string[]): Promise<void> {
    const hours = Math.max(1, Math.round(Math.abs(due.dueAt.getTime() - now.getTime()) / HOUR_MS));
    const { report } = due;
    await this.threads.post(report, { kind: 'reminder', code: report.code, caseKind: report.kind, reminder: due.kind, dueAt: due.dueAt, hours, escalatedTo }, (error) =>
      log.warn({ err: error, report: report._id }, 'reminder not delivered'),
    );
  }
}
