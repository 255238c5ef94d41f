import type { Catalog } from '../../config/catalog';
import { withFirstReminder } from '../deadlines/reminder-stages';
import type { UnitDirectory } from '../../config/units';
import { AppError } from '../../shared/errors';
import type { PiiCipher } from '../../shared/pii-cipher';
import { fileReport, reportIdFor, type PlanDeliveries } from '../reports/file-report';
import { randomReceiptCode, type ReceiptGenerator } from '../reports/receipt-code';
import type { Coverage } from '../units/unit-admin-service';
import type { DisputeParties, PartyAgreement, ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

export interface DisputeSubmission {
  submissionKey: string;
  kind: string;
  description: string;
  since: string;
  tried: string | null;
  otherParty: string;
  otherPartyAgrees: PartyAgreement;
  wardId: string;
  address: string;
  requester: DisputeParties['requester'];
  desiredOutcome: string;
  residentKey: string;
  channel: string;
  lang: string;
}

const HOUR_MS = 3_600_000;
/** Disputes are counted apart from the tip groups in statistics. */
export const DISPUTE_GROUP = 'dispute';

/**
 * Files a neighbourhood dispute for grassroots mediation: routed to the
 * mediation team of its ward, always with a named, reachable requester
 * (mediation cannot be anonymous), the parties' details encrypted.
 */
export class DisputeIntake {
  constructor(
    private readonly reports: Pick<ReportRepository, 'codeOf' | 'insert'>,
    private readonly catalog: Catalog,
    private readonly units: UnitDirectory,
    private readonly cipher: PiiCipher,
    private readonly coverage: () => Promise<Coverage>,
    private readonly planDeliveries: PlanDeliveries,
    private readonly nextCode: ReceiptGenerator = randomReceiptCode,
  ) {}

  async submit(input: DisputeSubmission, now: Date): Promise<{ id: string; code: string }> {
    if (!this.catalog.disputes.kindById(input.kind)) throw new AppError('catalog_invalid', `Unknown dispute kind ${input.kind}`);
    if (!this.catalog.wardById(input.wardId)) throw new AppError('catalog_invalid', `Unknown ward ${input.wardId}`);
    const { assignHours, startDays } = this.catalog.disputes.deadlines;
    const parties: DisputeParties = { requester: input.requester, otherParty: input.otherParty };
    const doc: Omit<ReportDoc, 'code'> = {
      _id: reportIdFor(input.submissionKey),
      kind: 'dispute',
      category: input.kind,
      group: DISPUTE_GROUP,
      description: input.description,
      location: { kind: 'ward', wardId: input.wardId, address: input.address, lat: null, lon: null },
      occurred: { kind: 'other', text: input.since },
      evidence: [],
      suspects: { text: null, identifiers: [] },
      anonymous: false,
      reporter: {
        residentKey: input.residentKey,
        contactEnc: this.cipher.encrypt(JSON.stringify({ phone: input.requester.phone, name: input.requester.name })),
      },
      channel: input.channel,
      lang: input.lang,
      unitIds: this.units.routeDispute(input.wardId, input.kind, await this.coverage()).map((u) => u.id),
      status: 'received',
      statusHistory: [{ status: 'received', at: now }],
      forwards: [],
      relatedCodes: [],
      assessment: null,
      assessedAt: null,
      assignee: null,
      outcome: null,
      closedAt: null,
      duplicateOf: null,
      // Until assigned, mediation must start within startDays of the assignment deadline.
      deadlines: withFirstReminder(
        {
          ackDueAt: new Date(now.getTime() + assignHours * HOUR_MS),
          outcomeDueAt: new Date(now.getTime() + assignHours * HOUR_MS + startDays * 24 * HOUR_MS),
          extensions: [],
        },
        this.catalog.remindBeforeHours,
      ),
      submissionKey: input.submissionKey,
      version: 0,
      dispute: {
        since: input.since,
        tried: input.tried,
        desiredOutcome: input.desiredOutcome,
        otherPartyAgrees: input.otherPartyAgrees,
        partiesEnc: this.cipher.encrypt(JSON.stringify(parties)),
        assignedAt: null,
        mediators: [],
        conflicts: [],
        session: null,
        result: null,
        agreement: null,
        referral: null,
      },
      createdAt: now,
    };
    return fileReport(this.reports, doc, 'HG', this.nextCode, this.planDeliveries);
  }

  /** The parties of a dispute, decrypted: for the mediation team's card and register only. */
  partiesOf(report: ReportDoc): DisputeParties | null {
    return report.dispute ? (JSON.parse(this.cipher.decrypt(report.dispute.partiesEnc)) as DisputeParties) : null;
  }
}
