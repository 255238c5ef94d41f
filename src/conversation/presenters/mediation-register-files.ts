import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { OutboundAttachment, OutboundMessage } from '../../core/chat';
import type { RegisterEntry, RegisterExport } from '../../domain/mediation/mediation-register';
import type { Translate } from '../../i18n';
import { toCsv } from '../../shared/csv';
import { dayLabel, lastDayOf } from '../../shared/vietnam-period';

/** The columns of the Ministry of Justice's mediation register (sổ theo dõi hoạt động hòa giải ở cơ sở). */
export const REGISTER_COLUMNS = ['no', 'received', 'mediators', 'parties', 'content', 'agreement', 'result', 'notes'] as const;

export type RegisterRow = Record<(typeof REGISTER_COLUMNS)[number], string>;

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** /sohoagiai: a summary line with the register as CSV and .xlsx, or why there is none. */
export async function presentRegister(t: Translate, answer: RegisterExport): Promise<OutboundMessage[]> {
  if (answer.kind === 'refused') return [{ text: t(`register.${answer.reason}`) }];
  const { unit, period, entries } = answer;
  const rows = entries.map((entry, index) => registerRow(t, entry, index));
  const header = REGISTER_COLUMNS.map((c) => t(`register.col.${c}`));
  const stamp = `${dayLabel(period.from, '')}-${dayLabel(lastDayOf(period), '')}`;
  const csv = toCsv([header, ...rows.map((row) => REGISTER_COLUMNS.map((c) => row[c]))]);
  const xlsx = await toXlsx(t('register.sheet'), header, rows);
  const file = (name: string, mime: string, content: Buffer): OutboundAttachment => ({ kind: 'document', mime, fileName: name, evidenceId: `register-${randomUUID()}`, platform: null, generated: true, load: async () => content });
  return [
    {
      text: t('register.summary', { unit: unit.name, from: dayLabel(period.from, '/'), to: dayLabel(lastDayOf(period), '/'), count: rows.length }),
      attachments: [file(`so-hoa-giai-${unit.id}-${stamp}.csv`, 'text/csv', csv), file(`so-hoa-giai-${unit.id}-${stamp}.xlsx`, XLSX_MIME, xlsx)],
    },
  ];
}

/** One row of the register, worded in the team's language. */
export function registerRow(t: Translate, entry: RegisterEntry, index: number): RegisterRow {
  const result = entry.result === 'settled' ? t('register.settled') : entry.result === 'not_settled' ? t('register.not_settled') : t('register.pending');
  return {
    no: String(index + 1),
    received: dayLabel(entry.receivedAt, '/'),
    mediators: entry.mediators.join(', '),
    parties: [
      t('register.requester', { name: entry.requester.name, age: entry.requester.age ?? '?', address: entry.requester.address }),
      t('register.other_party', { text: entry.otherParty }),
    ].join('\n'),
    content: `${t(`dispute_kind.${entry.kind}`)}: ${entry.description}`,
    agreement: entry.result === 'settled' && entry.agreement ? entry.agreement : t('register.request', { text: entry.desiredOutcome }),
    result,
    notes: [entry.code, entry.referral ? t('register.referred', { authority: entry.referral }) : null, t(`status.${entry.status}`)].filter(Boolean).join('; '),
  };
}

async function toXlsx(sheetName: string, header: string[], rows: RegisterRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.columns = header.map((title, i) => ({ header: title, key: REGISTER_COLUMNS[i], width: [6, 14, 24, 40, 48, 40, 14, 30][i] }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await book.xlsx.writeBuffer());
}
