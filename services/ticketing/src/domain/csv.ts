/**
 * One CSV cell. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return that
 * hides one) as a formula, so such a cell gets a leading apostrophe (OWASP's CSV injection advice);
 * cells with separators, quotes or line breaks are quoted as RFC 4180 says.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
