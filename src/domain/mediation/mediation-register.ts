import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Model } from 'mongoose';
import type { Catalog } from '../../config/catalog';
import { isMediation, type UnitDirectory } from '../../config/units';
import type { ChatAddress, OutboundMessage } from '../../conversation/events';
import type { Translate } from '../../i18n';
import { parseVietnamDateTime, startOfVietnamDay, vietnamDate, vietnamInstant } from '../../shared/vietnam-time';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { DisputeParties, ReportDoc } from '../../storage/models/report.model';
import type { DeskService } from '../desks/desk-service';

const DAY_MS = 86_400_000;
const MAX_ROWS = 5000;
/** The columns of the Ministry of Justice's mediation register (sổ theo dõi hoạt động hòa giải ở cơ sở). */
export const REGISTER_COLUMNS = ['no', 'received', 'mediators', 'parties', 'content', 'agreement', 'result', 'notes'] as const;

export type RegisterRow = Record<(typeof REGISTER_COLUMNS)[number], string>;
export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

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
    const stamp = `${dayLabel(period.from, '')}-${dayLabel(new Date(period.to.getTime() - 1), '')}`;
    const csv = toCsv(header, rows);
    const xlsx = await toXlsx(t('register.sheet'), header, rows);
    const file = (name: string, mime: string, content: Buffer) => ({ kind: 'document' as const, mime, fileName: name, evidenceId: `register-${randomUUID()}`, platform: null, load: async () => content });
    return [
      {
        text: t('register.summary', { unit: unit.name, from: dayLabel(period.from, '/'), to: dayLabel(new Date(period.to.getTime() - 1), '/'), count: rows.length }),
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

/** "[từ] [đến]" as dd/mm/yyyy; by default the current month (Vietnam time). The end day is included. */
export function parsePeriod(args: string, now: Date): Period | null {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length > 2) return null;
  const days = words.map((w) => parseVietnamDateTime(w, now));
  if (days.some((d) => d === null || d.hasTime || d.rest !== '')) return null;
  const { year, month } = vietnamDate(now);
  const from = days[0] ? startOfVietnamDay(days[0].at) : vietnamInstant(year, month, 1);
  if (!from) return null;
  const to = days[1] ? new Date(startOfVietnamDay(days[1].at).getTime() + DAY_MS) : new Date(startOfVietnamDay(now).getTime() + DAY_MS);
  return from < to ? { from, to } : null;
}

function dayLabel(date: Date, separator: string): string {
  const { year, month, day } = vietnamDate(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  return separator ? `${pad(day)}${separator}${pad(month)}${separator}${year}` : `${year}${pad(month)}${pad(day)}`;
}

/** RFC 4180 CSV in UTF-8 with a byte-order mark, so spreadsheet programs keep the diacritics. */
export function toCsv(header: string[], rows: RegisterRow[]): Buffer {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [header, ...rows.map((row) => REGISTER_COLUMNS.map((c) => row[c]))].map((cells) => cells.map(cell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

async function toXlsx(sheetName: string, header: string[], rows: RegisterRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.columns = header.map((title, i) => ({ header: title, key: REGISTER_COLUMNS[i], width: [6, 14, 24, 40, 48, 40, 14, 30][i] }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await book.xlsx.writeBuffer());
}
