import ExcelJS from 'exceljs';
import { toCsv } from '../../../shared/csv';
import type { StatsTable } from './stats-tables';

/**
 * All tables in one CSV, one section each: its title alone on a line, the
 * header, the rows, the total row, then an empty line. Numbers are written
 * with a decimal point whatever the language, so they stay numbers when read.
 */
export function statsCsv(tables: StatsTable[], heading: string[]): Buffer {
  const lines: string[][] = heading.map((line) => [line]);
  lines.push([]);
  for (const table of tables) {
    lines.push([table.title], table.header, ...table.rows.map(cells), ...(table.total ? [cells(table.total)] : []), []);
  }
  return toCsv(lines);
}

/** One sheet per table, numbered in reading order, the header and total rows in bold. */
export async function statsXlsx(tables: StatsTable[], heading: string[], sheetName: (n: number, title: string) => string, createdAt: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Tin báo';
  book.created = createdAt;
  book.modified = createdAt;
  tables.forEach((table, index) => {
    const sheet = book.addWorksheet(safeSheetName(sheetName(index + 1, table.title)));
    sheet.columns = table.header.map((_, i) => ({ width: i === 0 ? 44 : 16 }));
    sheet.addRow(table.header).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    if (table.total) sheet.addRow(table.total).font = { bold: true };
    sheet.addRow([]);
    for (const line of heading) sheet.addRow([line]).font = { italic: true };
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cells(row: (string | number)[]): string[] {
  return row.map((cell) => (typeof cell === 'number' ? String(cell) : cell));
}

/** Excel refuses sheet names over 31 characters or with any of \ / ? * [ ] : */
function safeSheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31).trim();
}
