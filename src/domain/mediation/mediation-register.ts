import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Model } from 'mongoose';
import type { Catalog } from '../../config/catalog';
import { isMediation, type UnitDirectory } from '../../config/units';
import type { Translate } from '../../i18n';
import { toCsv } from '../../shared/csv';
import { dayLabel, lastDayOf, parsePeriod, type Period } from '../../shared/vietnam-period';
import { vietnamDate } from '../../shared/vietnam-time';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { ReportDoc } from '../../storage/models/report.model';
import type { DeskService } from '../desks/desk-service';
import type { ChatAddress, OutboundMessage } from '../../core/chat';
import type { DisputeParties } from '../../core/report';

const MAX_ROWS = 5000;
/** The columns of the Ministry of Justice's mediation register (sổ theo dõi hoạt động hòa giải ở cơ sở). */
export const REGISTER_COLUMNS = ['no', 'received', 'mediators', 'parties', 'content', 'agreement', 'result', 'notes'] as const;

export type RegisterRow = Record<(typeof REGISTER_COLUMNS)[number], string>;

/**
 * The mediation register (/sohoagiai [từ] [đến]): a team's disputes received
 * in a period, one row each, as CSV and .xlsx files sent to the team's own
 * desk. The only place parties' personal data leaves the database; every
 * export is audited.
 */
export class MediationRegister {
  constructor(
    private readonly models: { reports: Model<ReportDoc>; audit: Model<AuditEntryDoc> },
    private readonly desks: DeskService,
    private readonly units: UnitDirectory,
    private readonly catalog: Catalog,
    private readonly partiesOf: (report: ReportDoc) => DisputeParties | null,
  ) {}

  async export(actor: { address: ChatAddress; userId: string; name: string | null }, args: string, now: Date, t: Translate): Promise<OutboundMessage[]> {
    const desk = await this.desks.find(actor.address);
    const unit = desk ? this.units.byId(desk.unitId) : undefined;
    if (!desk || !unit || !isMediation(unit)) return [{ text: t('register.not_mediation') }];
    const period = parsePeriod(args, now);
    if (!period) return [{ text: t('register.usage') }];
    const rows = await this.rows(unit.id, period, t);
    await this.models.audit.create({
      _id: randomUUID(),
      reportId: null,
      unitId: unit.id,
      actor: { channel: actor.address.channel, userId: actor.userId, name: actor.name },
      action: 'export_register',
      before: {},
      after: { from: period.from, to: period.to, rows: rows.length },
      at: now,
    });
    const header = REGISTER_COLUMNS.map((c) => t(`register.col.${c}`));
    const stamp = `${dayLabel(period.from, '')}-${dayLabel(lastDayOf(period), '')}`;
    const csv = toCsv([header, ...rows.map((row) => REGISTER_COLUMNS.map((c) => row[c]))]);
    const xlsx = await toXlsx(t('register.sheet'), header, rows);
    const file = (name: string, mime: string, content: Buffer) => ({ kind: 'document' as const, mime, fileName: name, evidenceId: `register-${randomUUID()}`, platform: null, generated: true, load: async () => content });
    return [
      {
        text: t('register.summary', { unit: unit.name, from: dayLabel(period.from, '/'), to: dayLabel(lastDayOf(period), '/'), count: rows.length }),
        attachments: [
          file(`so-hoa-giai-${unit.id}-${stamp}.csv`, 'text/csv', csv),
          file(`so-hoa-giai-${unit.id}-${stamp}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xlsx),
        ],
      },
    ];
  }

  /** One row per dispute of the team received in the period, oldest first. */
  async rows(unitId: string, period: Period, t: Translate): Promise<RegisterRow[]> {
    const reports = await this.models.reports
      .find({ kind: 'dispute', unitIds: unitId, createdAt: { $gte: period.from, $lt: period.to } })
      .sort({ createdAt: 1 })
      .limit(MAX_ROWS)
      .lean();
    return reports.map((report, index) => {
      const dispute = report.dispute;
      const parties = this.partiesOf(report);
      const requester = parties?.requester;
      const age = requester?.birthYear ? vietnamDate(report.createdAt).year - requester.birthYear : null;
      const ward = this.catalog.wardById(report.location.wardId ?? '')?.name;
      const result = dispute?.result === 'settled' ? t('register.settled') : dispute?.result === 'not_settled' ? t('register.not_settled') : t('register.pending');
      return {
        no: String(index + 1),
        received: dayLabel(report.createdAt, '/'),
        mediators: dispute?.mediators.join(', ') ?? '',
        parties: [
          t('register.requester', { name: requester?.name ?? '', age: age ?? '?', address: [requester?.address, ward].filter(Boolean).join(', ') }),
          t('register.other_party', { text: parties?.otherParty ?? '' }),
        ].join('\n'),
        content: `${t(`dispute_kind.${report.category}`)}: ${report.description}`,
        agreement: dispute?.result === 'settled' && dispute.agreement ? dispute.agreement : t('register.request', { text: dispute?.desiredOutcome ?? '' }),
        result,
        notes: [report.code, dispute?.referral ? t('register.referred', { authority: dispute.referral }) : null, t(`status.${report.status}`)].filter(Boolean).join('; '),
      };
    });
  }
}

async function toXlsx(sheetName: string, header: string[], rows: RegisterRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.columns = header.map((title, i) => ({ header: title, key: REGISTER_COLUMNS[i], width: [6, 14, 24, 40, 48, 40, 14, 30][i] }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await book.xlsx.writeBuffer());
}
