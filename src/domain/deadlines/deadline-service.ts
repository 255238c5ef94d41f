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

const log = moduleLogger('deadlines');
const HOUR_MS = 3_600_000;
const MAX_EXTENSION_DAYS = 60;

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
  ) {}

  /** Sends every reminder that is due and not yet sent. Run by node-cron; never throws. Returns how many were sent. */
  async remind(now: Date): Promise<number> {
    let sent = 0;
    try {
      for (const due of await this.dueReminders(now)) {
        if (!(await this.claim(due, now))) continue;
        await this.sendReminder(due, now);
        sent += 1;
      }
    } catch (error) {
      log.error({ err: error }, 'reminder run failed');
    }
    return sent;
  }

  /** The unit's open cases near or past a deadline, most urgent first; null when this chat is not a desk. */
  async overdueList(address: ChatAddress, now: Date): Promise<Due[] | null> {
    const desk = await this.desks.find(address);
    if (!desk) return null;
    const due = (await this.dueReminders(now)).filter((d) => d.report.unitIds.includes(desk.unitId));
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
        $set: { 'deadlines.outcomeDueAt': outcomeDueAt },
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

  private async dueReminders(now: Date): Promise<Due[]> {
    const { ack, outcome } = this.catalog.remindBeforeHours;
    const ackHorizon = new Date(now.getTime() + ack * HOUR_MS);
    const outcomeHorizon = new Date(now.getTime() + outcome * HOUR_MS);
    const [waiting, open] = await Promise.all([
      this.models.reports.awaitingAcceptance(ackHorizon, 500),
      // A tip is open until closed; a dispute's deadline is for starting mediation, met once a session is scheduled.
      this.models.reports.outcomeDue(outcomeHorizon, 500),
    ]);
    const due: Due[] = [];
    for (const report of waiting) {
      const dueAt = report.deadlines.ackDueAt;
      due.push({ report, kind: dueAt <= now ? 'ack_overdue' : 'ack_soon', dueAt });
    }
    for (const report of open) {
      const dueAt = report.deadlines.outcomeDueAt;
      due.push({ report, kind: dueAt <= now ? 'outcome_overdue' : 'outcome_soon', dueAt });
    }
    return due;
  }

  private async claim(due: Due, now: Date): Promise<boolean> {
    return insertOnce(this.models.reminders, { _id: `${due.report._id}:${due.kind}:${due.dueAt.getTime()}`, reportId: due.report._id, sentAt: now });
  }

  private async sendReminder(due: Due, now: Date): Promise<void> {
    const hours = Math.max(1, Math.round(Math.abs(due.dueAt.getTime() - now.getTime()) / HOUR_MS));
    const { report } = due;
    await this.threads.post(report, { kind: 'reminder', code: report.code, caseKind: report.kind, reminder: due.kind, dueAt: due.dueAt, hours }, (error) =>
      log.warn({ err: error, report: report._id }, 'reminder not delivered'),
    );
  }
}
