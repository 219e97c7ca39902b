/**
 * The one CSV cell writer of the product. Two dialects: machine CSV (RFC 4180: comma, dot decimals,
 * ISO UTC instants) and the spreadsheet CSV of the monthly report (";" and decimal comma, for
 * Chilean Excel). Text that a spreadsheet would run as a formula (leading = + - @, tab or CR) is
 * neutralised with a leading apostrophe (OWASP "CSV injection"); numbers stay numbers.
 */
export interface CsvDialect {
  separator: "," | ";";
  decimalComma: boolean;
}
export const MACHINE_CSV: CsvDialect = { separator: ",", decimalComma: false };
export const SPREADSHEET_CSV: CsvDialect = { separator: ";", decimalComma: true };

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text as a spreadsheet will show it, never as a formula. */
function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export function csvCell(v: unknown, dialect: CsvDialect = MACHINE_CSV, decimals?: number): string {
  if (v === null || v === undefined) return "";
  let s: string;
  if (typeof v === "number" || typeof v === "bigint") {
    s = typeof v === "number" && decimals !== undefined ? v.toFixed(decimals) : String(v);
    if (dialect.decimalComma) s = s.replace(".", ",");
  } else {
    s = neutraliseFormula(v instanceof Date ? v.toISOString() : String(v));
  }
  return s.includes(dialect.separator) || /["\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly unknown[], dialect: CsvDialect = MACHINE_CSV): string {
  return cells.map((c) => csvCell(c, dialect)).join(dialect.separator);
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => csvRow(r)).join("\r\n") + "\r\n";
}
