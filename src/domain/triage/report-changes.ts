import type { Model, UpdateQuery } from 'mongoose';
import type { ChatAddress } from '../../core/chat';
import type { ReportDoc } from '../../core/report';
import type { ReporterNotice } from '../../core/reporter-notice';
import { moduleLogger } from '../../shared/logger';
import type { PiiCipher } from '../../shared/pii-cipher';
import { insertOnce, replaceById } from '../../storage/claims';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { ReportChangeDoc } from '../../storage/models/report-change.model';
import type { ReportMessageDoc } from '../../storage/models/report-message.model';
import type { ReportRepository } from '../../storage/report-repository';
import type { TellReporter } from '../followup/reporter-notice';

const log = moduleLogger('report-changes');

/** How long a change's consequences are left to the officer's own request before the sweep completes them. */
export const CHANGE_GRACE_MS = 30_000;
/**
 * How long a change recorded but never written (its writer died between the
 * two) is kept before it is dropped: well past the version claim's lease,
 * after which another writer may have taken the version over.
 */
const UNWRITTEN_KEPT_MS = 10 * 60_000;

/** What a change to a report owes once written. */
export interface Owed {
  audit: ReportChangeDoc['audit'];
  /** Words the audit entry records encrypted (what an officer wrote that names people), merged into its `after`. */
  sealedInAudit?: Record<string, string>;
  /** The reporter's notice; null when they are not told (or there is no reporter). */
  notice: { residentKey: string; notice: ReporterNotice } | null;
  /** Units the report goes to by this change. */
  forwardedTo: string[];
  /** A message this action adds to the case's thread. */
  threadMessage?: ReportMessageDoc;
}

/** What the audit log records of an officer's action on a report: the unit, who (by their chat account), what, and the state before and after. */
export function auditOf(
  unitId: string,
  actor: { address: ChatAddress; userId: string; name: string | null },
  action: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Owed['audit'] {
  return { unitId, actor: { channel: actor.address.channel, userId: actor.userId, name: actor.name }, action, before, after };
}

export interface ReportChangePorts {
  /** Every desk with the report's card sees its state now. */
  refreshCards(report: ReportDoc): Promise<void>;
  /** The report now also goes to `unitIds`: their desks get its card. */
  onForwarded(reportId: string, unitIds: string[]): Promise<void>;
  tellReporter: TellReporter;
}

/**
 * An officer's change to a report and its consequences, all or nothing.
 *
 * What the change owes (audit entry, reporter's notice, new units' cards) is
 * recorded first in `report_changes`, keyed by the version the change gives
 * the report; then the report is written; then each consequence is done, each
 * keyed by that same id (the audit entry's `_id`, the notice's `_id`, the
 * delivery records' `_id`s), and the record removed. A crash anywhere leaves
 * either a record whose report never reached its version (nothing happened:
 * dropped after UNWRITTEN_KEPT_MS) or one whose report did (the sweep
 * completes it, and what was done already is not done twice).
 *
 * Two collections, not an outbox array on the report: FerretDB v1 runs an
 * update as a read then a write of the whole document, so removing a
 * completed entry could overwrite a concurrent officer's change. On MongoDB
 * the record could live on the report (one write fewer per action).
 */
export class ReportChanges {
  constructor(
    private readonly models: { reports: ReportRepository; changes: Model<ReportChangeDoc>; audit: Model<AuditEntryDoc>; messages: Model<ReportMessageDoc> },
    private readonly cipher: PiiCipher,
    private readonly ports: ReportChangePorts,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Writes `update` to a report whose version the caller has claimed (it must
   * `$inc` the version), and what it owes. Returns the report as written.
   */
  async write(report: Pick<ReportDoc, '_id' | 'version'>, update: UpdateQuery<ReportDoc>, owed: Owed): Promise<ReportDoc | null> {
    const version = (report.version ?? 0) + 1;
    const change = await this.remember(this.record(`${report._id}:v${version}`, report._id, version, owed, true));
    await this.models.reports.update(report._id, update);
    return this.complete(change);
  }

  /**
   * An officer's action that leaves the report as it is (a message to the
   * reporter), with what it owes, all or nothing: recorded, then done under
   * the record's keys (`id`: unique per action).
   */
  async act(reportId: string, id: string, owed: Owed): Promise<void> {
    // Version 0: the sweep finds every report "written" for it, and completes it.
    await this.complete(await this.remember(this.record(id, reportId, 0, owed, false)));
  }

  /** Stores what a change owes. Replaced, not inserted once: a record left by a writer that died before writing the report is this version's no longer. */
  private async remember(change: ReportChangeDoc): Promise<ReportChangeDoc> {
    const { _id, ...rest } = change;
    await replaceById(this.models.changes, _id, rest);
    return change;
  }

  private record(id: string, reportId: string, version: number, owed: Owed, cards: boolean): ReportChangeDoc {
    return {
      _id: id,
      reportId,
      version,
      audit: { ...owed.audit, after: { ...owed.audit.after, ...Object.fromEntries(Object.entries(owed.sealedInAudit ?? {}).map(([name, text]) => [`${name}Enc`, this.cipher.encrypt(text)])) } },
      notice: owed.notice ? { residentKey: owed.notice.residentKey, bodyEnc: this.cipher.encrypt(JSON.stringify(owed.notice.notice)) } : null,
      forwardedTo: owed.forwardedTo,
      threadMessage: owed.threadMessage ?? null,
      cards,
      at: this.clock(),
    };
  }

  /** Completes changes whose writer stopped before finishing; drops those never written. Run on a schedule; never throws. */
  async sweep(): Promise<number> {
    let completed = 0;
    try {
      const now = this.clock().getTime();
      const left = await this.models.changes.find({ at: { $lt: new Date(now - CHANGE_GRACE_MS) } }).sort({ at: 1 }).limit(100).lean();
      for (const change of left) {
        const report = await this.models.reports.byId(change.reportId);
        if (report && (report.version ?? 0) >= change.version) {
          await this.complete(change, report);
          completed += 1;
        } else if (!report || change.at.getTime() < now - UNWRITTEN_KEPT_MS) {
          log.info({ change: change._id }, 'change recorded but never written; dropped');
          await this.models.changes.deleteOne({ _id: change._id });
        }
      }
    } catch (error) {
      log.error({ err: error }, 'report change sweep failed');
    }
    if (completed > 0) log.warn({ completed }, 'completed officer changes whose writer stopped half-way');
    return completed;
  }

  /** Does what `change` owes, each part once however often this runs, then forgets it. */
  private async complete(change: ReportChangeDoc, written?: ReportDoc): Promise<ReportDoc | null> {
    if (change.threadMessage) await insertOnce(this.models.messages, change.threadMessage);
    await insertOnce(this.models.audit, { _id: change._id, reportId: change.reportId, ...change.audit, at: change.at });
    if (change.notice) await this.ports.tellReporter(change.notice.residentKey, this.noticeOf(change.notice.bodyEnc), change._id);
    if (change.forwardedTo.length > 0) await this.ports.onForwarded(change.reportId, change.forwardedTo);
    const report = written ?? (change.cards === false ? null : await this.models.reports.byId(change.reportId));
    if (report && change.cards !== false) await this.ports.refreshCards(report);
    await this.models.changes.deleteOne({ _id: change._id });
    return report;
  }

  private noticeOf(bodyEnc: string): ReporterNotice {
    const notice = JSON.parse(this.cipher.decrypt(bodyEnc)) as ReporterNotice;
    // JSON keeps a date as its ISO text: a session's time is made a date again.
    if (notice.kind === 'mediation' && notice.session) notice.session = { ...notice.session, at: new Date(notice.session.at) };
    return notice;
  }
}
