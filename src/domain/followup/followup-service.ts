import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { UnitDirectory } from '../../config/units';
import type { ThreadEntry } from '../desks/card-options';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { ReportMessageDoc } from '../../storage/models/report-message.model';
import type { CaseThreads } from '../desks/case-threads';
import type { DeskService } from '../desks/desk-service';
import { parseReceiptCode } from '../reports/receipt-code';
import type { ResidentService } from '../residents/resident-service';
import type { ChatAddress } from '../../core/chat';
import type { EvidenceRecord } from '../../core/report';
import type { TellReporter } from './reporter-notice';
import type { ReportRepository } from '../../storage/report-repository';
import type { PiiCipher } from '../../shared/pii-cipher';
import { auditOf, type ReportChanges } from '../triage/report-changes';

export type RelayResult = 'sent' | 'queued' | 'not_a_desk' | 'unknown_report' | 'not_your_unit' | 'reporter_gone';
export type AdditionResult = 'sent' | 'not_found' | 'not_yours' | 'too_many_files';

/** Files one case may hold, those sent with it and those added later together: a case's document stays bounded. */
export const MAX_FILES_PER_CASE = 30;

export interface FollowupPorts {
  /** Durable delivery to a reporter (see ReporterNotices). */
  tellReporter: TellReporter;
  /** False when the reporter's platform will hold a message until they write (Zalo's 7-day window). */
  reporterReachableNow(residentKey: string): Promise<boolean>;
}

/**
 * The anonymous two-way thread of a tip. An officer's reply reaches the
 * reporter under the unit's name; what the reporter adds reaches the desk as
 * "Người báo tin #CODE". The bot knows how to reach both; neither side learns
 * the other's account.
 */
export class FollowupService {
  constructor(
    private readonly models: {
      reports: ReportRepository;
      messages: Model<ReportMessageDoc>;
      audit: Model<AuditEntryDoc>;
    },
    private readonly desks: DeskService,
    private readonly units: UnitDirectory,
    private readonly residents: ResidentService,
    private readonly threads: CaseThreads,
    private readonly ports: FollowupPorts,
    private readonly cipher: Pick<PiiCipher, 'encrypt' | 'decrypt'>,
    private readonly changes: Pick<ReportChanges, 'act'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** An officer's message to the reporter of a tip their unit holds. */
  async relayToReporter(actor: { address: ChatAddress; userId: string; name: string | null }, reportId: string, text: string): Promise<RelayResult> {
    const desk = await this.desks.find(actor.address);
    if (!desk) return 'not_a_desk';
    const report = await this.models.reports.byId(reportId);
    if (!report) return 'unknown_report';
    if (!report.unitIds.includes(desk.unitId)) return 'not_your_unit';
    const residentKey = report.reporter?.residentKey;
    const resident = residentKey ? await this.residents.find(residentKey) : null;
    if (!resident) return 'reporter_gone';

    const now = this.clock();
    const messageId = randomUUID();
    const textEnc = this.cipher.encrypt(text);
    // The message in the thread, its audit entry and the reporter's notice: all or nothing (ReportChanges).
    await this.changes.act(reportId, `${reportId}:reply:${messageId}`, {
      audit: auditOf(desk.unitId, actor, 'reply_to_reporter', {}, { textEnc }),
      notice: { residentKey: resident.key, notice: { kind: 'desk_message', code: report.code, unit: this.units.byId(desk.unitId)?.name ?? '', text } },
      forwardedTo: [],
      threadMessage: { _id: messageId, reportId, direction: 'to_reporter', unitId: desk.unitId, textEnc, evidenceId: null, at: now },
    });
    // The officer learns when the reporter will only get it once they write again.
    return (await this.ports.reporterReachableNow(resident.key)) ? 'sent' : 'queued';
  }

  /**
   * The last messages between the desks and a case's reporter, oldest first,
   * for the card of a unit it was forwarded to (index `reportId, at`; on
   * FerretDB v1 a scan of report_messages, only when such a card is drawn).
   */
  async threadOf(reportId: string, limit = 10): Promise<ThreadEntry[]> {
    const docs = await this.models.messages.find({ reportId }).sort({ at: -1 }).limit(limit).lean();
    return docs.reverse().map((m) => ({
      from: m.direction === 'from_reporter' ? 'reporter' : 'desk',
      unitId: m.unitId,
      text: m.textEnc ? this.cipher.decrypt(m.textEnc) : (m.text ?? null),
      withFile: m.evidenceId !== null,
      at: m.at,
    }));
  }

  /** Something the reporter adds to their own tip (text or a file), delivered into each desk's thread of it. */
  async addFromReporter(residentKey: string, typedCode: string, content: { text: string | null; evidence: EvidenceRecord | null }): Promise<AdditionResult> {
    const code = parseReceiptCode(typedCode);
    const report = code ? await this.models.reports.byCode(code) : null;
    if (!report) return 'not_found';
    if (report.reporter?.residentKey !== residentKey) return 'not_yours';
    // Checked on the case as read: two files sent in the same instant may both pass (one over the cap at most each).
    if (content.evidence && report.evidence.length >= MAX_FILES_PER_CASE) return 'too_many_files';

    const now = this.clock();
    await this.models.messages.create({
      _id: randomUUID(),
      reportId: report._id,
      direction: 'from_reporter',
      unitId: null,
      textEnc: content.text === null ? null : this.cipher.encrypt(content.text),
      evidenceId: content.evidence?.id ?? null,
      at: now,
    });
    const added = content.evidence;
    if (added) {
      const kept = await this.models.reports.withVersion(report._id, null, now, (latest) =>
        this.models.reports.update(latest._id, { $push: { evidence: added }, $inc: { version: 1 } }),
      );
      if (kept === 'busy' || kept === 'not_found') throw new Error(`Could not add evidence to report ${report._id}: ${kept}`);
    }

    await this.threads.post(report, { kind: 'followup', code: report.code, caseKind: report.kind, text: content.text, attachment: content.evidence });
    return 'sent';
  }
}
