import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Catalog } from '../../config/catalog';
import { isMediation, type Unit, type UnitDirectory } from '../../config/units';
import { parsePeriod, type Period } from '../../shared/vietnam-period';
import { vietnamDate } from '../../shared/vietnam-time';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { DeskService } from '../desks/desk-service';
import type { ChatAddress } from '../../core/chat';
import type { DisputeParties, ReportStatus, ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

const MAX_ROWS = 5000;

/** One dispute as the register records it: the data, not yet worded. */
export interface RegisterEntry {
  code: string;
  receivedAt: Date;
  mediators: string[];
  requester: { name: string; age: number | null; address: string };
  otherParty: string;
  kind: string;
  description: string;
  result: 'settled' | 'not_settled' | null;
  agreement: string | null;
  desiredOutcome: string;
  referral: string | null;
  status: ReportStatus;
}

export type RegisterExport = { kind: 'refused'; reason: 'not_mediation' | 'usage' } | { kind: 'register'; unit: Unit; period: Period; entries: RegisterEntry[] };

/**
 * The mediation register (/sohoagiai [từ] [đến]): a team's disputes received
 * in a period, one row each, as CSV and .xlsx files sent to the team's own
 * desk. The only place parties' personal data leaves the database; every
 * export is audited.
 */
export class MediationRegister {
  constructor(
    private readonly models: { reports: ReportRepository; audit: Model<AuditEntryDoc> },
    private readonly desks: DeskService,
    private readonly units: UnitDirectory,
    private readonly catalog: Catalog,
    private readonly partiesOf: (report: ReportDoc) => DisputeParties | null,
  ) {}

  /** The team's disputes received in the period (the desk must be a mediation team's), audited. */
  async export(actor: { address: ChatAddress; userId: string; name: string | null }, args: string, now: Date): Promise<RegisterExport> {
    const desk = await this.desks.find(actor.address);
    const unit = desk ? this.units.byId(desk.unitId) : undefined;
    if (!desk || !unit || !isMediation(unit)) return { kind: 'refused', reason: 'not_mediation' };
    const period = parsePeriod(args, now);
    if (!period) return { kind: 'refused', reason: 'usage' };
    const entries = await this.entries(unit.id, period);
    await this.models.audit.create({
      _id: randomUUID(),
      reportId: null,
      unitId: unit.id,
      actor: { channel: actor.address.channel, userId: actor.userId, name: actor.name },
      action: 'export_register',
      before: {},
      after: { from: period.from, to: period.to, rows: entries.length },
      at: now,
    });
    return { kind: 'register', unit, period, entries };
  }

  /** One entry per dispute of the team received in the period, oldest first. */
  async entries(unitId: string, period: Period): Promise<RegisterEntry[]> {
    const reports = await this.models.reports.disputesReceived(unitId, period, MAX_ROWS);
    return reports.map((report) => {
      const dispute = report.dispute;
      const parties = this.partiesOf(report);
      const requester = parties?.requester;
      const ward = this.catalog.wardById(report.location.wardId ?? '')?.name;
      return {
        code: report.code,
        receivedAt: report.createdAt,
        mediators: dispute?.mediators ?? [],
        requester: {
          name: requester?.name ?? '',
          age: requester?.birthYear ? vietnamDate(report.createdAt).year - requester.birthYear : null,
          address: [requester?.address, ward].filter(Boolean).join(', '),
        },
        otherParty: parties?.otherParty ?? '',
        kind: report.category,
        description: report.description,
        result: dispute?.result ?? null,
        agreement: dispute?.agreement ?? null,
        desiredOutcome: dispute?.desiredOutcome ?? '',
        referral: dispute?.referral ?? null,
        status: report.status,
      };
    });
  }
}
