/** RFC 4180 CSV in UTF-8 with a byte-order mark, so spreadsheet programs keep the diacritics. */
export function toCsv(rows: readonly (readonly string[])[]): Buffer {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = rows.map((cells) => cells.map(cell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
