import type { Catalog } from '../../config/catalog';
import { withFirstReminder, type RemindBefore } from '../deadlines/reminder-stages';
import type { UnitDirectory } from '../../config/units';
import type { Coverage } from '../units/unit-admin-service';
import { AppError } from '../../shared/errors';
import type { PiiCipher } from '../../shared/pii-cipher';
import { fileReport, reportIdFor, type PlanDeliveries } from './file-report';
import type { SuspectSightings } from '../../storage/suspect-sightings';
import type { Sighting } from '../../storage/models/suspect-sighting.model';
import { type ReceiptGenerator, parseReceiptCode, randomReceiptCode } from './receipt-code';
import { extractSuspectIdentifiers, type SuspectIdentifier } from './suspect-identifiers';
import type { EvidenceRecord, HistoryStatus, Outcome, ReportDoc, ReportKind, ReportStatus } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

export interface TipSubmission {
  /** Unique per draft: submitting the same draft twice returns the first report. */
  submissionKey: string;
  category: string;
  description: string;
  location: ReportDoc['location'];
  occurred: ReportDoc['occurred'];
  evidence: EvidenceRecord[];
  suspectsText: string | null;
  anonymous: boolean;
  contact: { phone: string; name: string | null } | null;
  residentKey: string;
  channel: string;
  lang: string;
  /** The model whose link brought the reporter, if any. */
  model?: { id: string; name: string } | null;
}

export interface StatusView {
  code: string;
  kind: ReportKind;
  /** A tip's category, or a dispute's kind. */
  category: string;
  status: ReportStatus;
  /** For the reporter only: how a closed tip ended, as they were told; a dispute's mediation result once there is one. */
  outcome: Outcome | null;
  mediationResult: 'settled' | 'not_settled' | null;
  createdAt: Date;
  history: { status: HistoryStatus; at: Date }[];
}

const MAX_RELATED = 5;

/** Files tips and answers status look-ups. Knows nothing of channels. */
export class ReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly catalog: Catalog,
    private readonly units: UnitDirectory,
    private readonly cipher: PiiCipher,
    /** Coverage changed by admins (see UnitAdminService), applied when routing. */
    private readonly coverage: () => Promise<Coverage>,
    private readonly planDeliveries: PlanDeliveries,
    private readonly sightings: SuspectSightings,
    private readonly nextCode: ReceiptGenerator = randomReceiptCode,
  ) {}

  /** Stores the tip (see fileReport: durable before the receipt, once per draft). */
  async submitTip(input: TipSubmission, now: Date): Promise<{ id: string; code: string }> {
    const category = this.catalog.categoryById(input.category);
    if (!category) throw new AppError('catalog_invalid', `Unknown category ${input.category}`);

    const identifiers = input.suspectsText ? extractSuspectIdentifiers(input.suspectsText) : [];
    // The ward the resident named, typed inside an address, or whose boundary holds the pin; none only when they said they do not know.
    const wardId = input.location.wardId !== null && this.catalog.wardById(input.location.wardId) ? input.location.wardId : null;
    const unitIds = this.units.route(wardId, category.id, await this.coverage()).map((u) => u.id);
    const related = await this.related(identifiers, unitIds);
    const doc: Omit<ReportDoc, 'code'> = {
      _id: reportIdFor(input.submissionKey),
      kind: 'tip',
      category: category.id,
      group: category.group,
      description: input.description,
      location: input.location,
      occurred: input.occurred,
      evidence: input.evidence,
      suspects: { text: input.suspectsText, identifiers },
      anonymous: input.anonymous,
      reporter: {
        residentKey: input.residentKey,
        contactEnc: !input.anonymous && input.contact ? this.cipher.encrypt(JSON.stringify(input.contact)) : null,
      },
      channel: input.channel,
      lang: input.lang,
      model: input.model ?? null,
      unitIds,
      status: 'received',
      statusHistory: [{ status: 'received', at: now }],
      forwards: [],
      ...related.fields,
      assessment: null,
      assessedAt: null,
      assignee: null,
      outcome: null,
      duplicateOf: null,
      closedAt: null,
      deadlines: dueDates(now, this.catalog.deadlinesFor(category.id), this.catalog.remindBeforeHours),
      submissionKey: input.submissionKey,
      version: 0,
      dispute: null,
      createdAt: now,
    };

    const filed = await fileReport(this.reports, doc, 'TB', this.nextCode, this.planDeliveries);
    await related.record({ code: filed.code, unitIds, at: now });
    return filed;
  }

  /**
   * The most recent earlier tips, of any of the same units, that share an
   * identifier with this one: what lets a desk see that five residents are
   * reporting the same scam phone number.
   */
  private async related(
    identifiers: SuspectIdentifier[],
    unitIds: string[],
  ): Promise<{ fields: Pick<ReportDoc, 'relatedCodes' | 'relatedHolders'>; record(sighting: Sighting): Promise<void> }> {
    if (identifiers.length === 0) return { fields: { relatedCodes: [], relatedHolders: [] }, record: async () => undefined };
    const sightings = await this.sightings.of(identifiers);
    // The units each earlier tip went to when it was filed (a later forward is not reflected).
    const related = sightings.earlier.filter((s) => s.unitIds.some((id) => unitIds.includes(id))).slice(0, MAX_RELATED);
    // Each with the units holding it, so a desk that cannot open one is told who can.
    return { fields: { relatedCodes: related.map((r) => r.code), relatedHolders: related.map((r) => ({ code: r.code, unitIds: r.unitIds })) }, record: sightings.record };
  }

  /**
   * What anyone holding the code may see: no personal details, no content.
   * How the case ended is shown only to its own reporter (`askerKey`, the
   * asking chat's key), who was told it when it closed.
   */
  async statusByCode(typed: string, askerKey: string | null = null): Promise<StatusView | null> {
    const code = parseReceiptCode(typed);
    if (!code) return null;
    const doc = await this.reports.statusOf(code);
    if (!doc) return null;
    const ownCase = askerKey !== null && doc.reporter?.residentKey === askerKey;
    return {
      code: doc.code,
      kind: doc.kind,
      category: doc.category,
      status: doc.status,
      outcome: ownCase && doc.kind === 'tip' ? doc.outcome : null,
      mediationResult: ownCase ? (doc.dispute?.result ?? null) : null,
      createdAt: doc.createdAt,
      history: doc.statusHistory,
    };
  }

  /** The resident's latest case still open (a tip or a dispute), to pass a stray message on to its desk. */
  async openCaseOf(residentKey: string): Promise<{ code: string; kind: ReportKind } | null> {
    const open = await this.reports.latestOpenOf(residentKey);
    return open ? { code: open.code, kind: open.kind } : null;
  }

  /** Metadata of one evidence file, the case holding it and the units holding that case. */
  async evidenceById(id: string): Promise<{ record: EvidenceRecord; reportId: string; unitIds: string[] } | null> {
    const doc = await this.reports.holdingEvidence(id);
    const record = doc?.evidence.find((e) => e.id === id);
    return doc && record ? { record, reportId: doc._id, unitIds: doc.unitIds } : null;
  }

  /** The named reporter's contact, decrypted; only for desk cards of named reports. */
  contactOf(report: ReportDoc): { phone: string; name: string | null } | null {
    if (report.anonymous || !report.reporter?.contactEnc) return null;
    return JSON.parse(this.cipher.decrypt(report.reporter.contactEnc)) as { phone: string; name: string | null };
  }
}

const HOUR_MS = 3_600_000;

function dueDates(now: Date, deadlines: { ackHours: number; outcomeDays: number }, remindBefore: RemindBefore): ReportDoc['deadlines'] {
  const due = {
    ackDueAt: new Date(now.getTime() + deadlines.ackHours * HOUR_MS),
    outcomeDueAt: new Date(now.getTime() + deadlines.outcomeDays * 24 * HOUR_MS),
    extensions: [],
  };
  return withFirstReminder(due, remindBefore);
}
