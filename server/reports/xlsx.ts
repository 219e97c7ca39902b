import { zip } from "./zip";
import { wallClockMs } from "@/domain/format";

/** Dates are written as spreadsheet dates in Santiago wall time (the zone goes in the column title). */
export type Cell = string | number | Date | null | undefined;
/** How a column's numbers and dates show: "int" "#.##0", "dec1"/"dec2" fixed decimals, "date", "datetime". */
export type ColumnFormat = "int" | "dec1" | "dec2" | "date" | "datetime" | "text";
export interface Sheet {
  name: string;
  /** First row is the header (bold, with a filter). */
  rows: Cell[][];
  /** Column widths in characters. */
  widths?: number[];
  /** Per column; numbers without one are "int" when whole, else "dec2". */
  formats?: (ColumnFormat | undefined)[];
  /** false for a label/value sheet: no header style, frozen row or filter. */
  header?: boolean;
}

const STYLE_ID: Record<Exclude<ColumnFormat, "text">, number> = { dec2: 2, int: 3, dec1: 4, date: 5, datetime: 6 };
const EXCEL_EPOCH_DAYS = 25569;
/** A spreadsheet serial day number (days since 1899-12-30) for the instant's Santiago wall clock. */
function excelSerial(d: Date): number {
  return wallClockMs(d) / 86_400_000 + EXCEL_EPOCH_DAYS;
}

// XML 1.0 forbids most C0 controls; built from codes so the source carries no control-character regex.
const CONTROL_CHARS = new RegExp(
  `[${[...Array(32).keys()]
    .filter((c) => c !== 9 && c !== 10 && c !== 13)
    .map((c) => `\\x${c.toString(16).padStart(2, "0")}`)
    .join("")}]`,
  "g",
);
const esc = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(CONTROL_CHARS, "");

function colName(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function cellXml(v: Cell, ref: string, header: boolean, format: ColumnFormat | undefined): string {
  if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v)))
    return header ? `<c r="${ref}" s="1"/>` : "";
  if (header) return `<c r="${ref}" t="inlineStr" s="1"><is><t xml:space="preserve">${esc(String(v))}</t></is></c>`;
  if (v instanceof Date) {
    if (!Number.isFinite(v.getTime())) return "";
    const f = format === "date" ? "date" : "datetime";
    return `<c r="${ref}" s="${STYLE_ID[f]}"><v>${excelSerial(v)}</v></c>`;
  }
  if (typeof v === "number") {
    const f =
      format && format !== "text" && format !== "date" && format !== "datetime"
        ? format
        : Number.isInteger(v)
          ? "int"
          : "dec2";
    return `<c r="${ref}" s="${STYLE_ID[f]}"><v>${v}</v></c>`;
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
}

function sheetXml(sheet: Sheet): string {
  const head = sheet.header === false ? -1 : 0;
  const parts: string[] = [];
  let lastCol = 0;
  sheet.rows.forEach((row, r) => {
    lastCol = Math.max(lastCol, row.length);
    const cells = row.map((v, c) =>
      cellXml(v, `${colName(c)}${r + 1}`, r === head, r > head ? sheet.formats?.[c] : undefined),
    );
    parts.push(`<row r="${r + 1}">${cells.join("")}</row>`);
  });
  const cols = sheet.widths?.length
    ? `<cols>${sheet.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`
    : "";
  const freeze =
    head < 0
      ? ""
      : `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${head + 1}" topLeftCell="A${head + 2}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`;
  const filter = hasFilter(sheet) && lastCol > 0 ? `<autoFilter ref="${filterRef(sheet)}"/>` : "";
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${freeze}${cols}<sheetData>${parts.join("")}</sheetData>${filter}</worksheet>`;
}

const hasFilter = (sheet: Sheet) => sheet.header !== false && sheet.rows.length > 1;

function filterRef(sheet: Sheet): string {
  const width = sheet.rows[0]?.length ?? 1;
  return `A1:${colName(width - 1)}${sheet.rows.length}`;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="4"><numFmt numFmtId="164" formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="#,##0.0"/><numFmt numFmtId="166" formatCode="dd-mm-yyyy"/><numFmt numFmtId="167" formatCode="dd-mm-yyyy hh:mm"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>`;

/** Sheet names: ≤ 31 chars, no []:*?/\ and unique. */
function safeNames(sheets: readonly Sheet[]): string[] {
  const seen = new Set<string>();
  return sheets.map((s, i) => {
    let n = s.name.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || `Hoja ${i + 1}`;
    while (seen.has(n)) n = `${n.slice(0, 28)} ${i + 1}`;
    seen.add(n);
    return n;
  });
}

function filterNames(sheets: readonly Sheet[], names: string[]): string {
  const defs = sheets
    .map((s, i) => {
      if (!hasFilter(s)) return "";
      const abs = filterRef(s).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
      return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${esc(names[i]!.replace(/'/g, "''"))}'!${abs}</definedName>`;
    })
    .filter(Boolean);
  return defs.length ? `<definedNames>${defs.join("")}</definedNames>` : "";
}

/** An .xlsx workbook (Office Open XML SpreadsheetML): inline strings, typed numbers and dates, a bold filtered header row. */
export function xlsxWorkbook(sheets: readonly Sheet[], created: Date): Buffer {
  const names = safeNames(sheets);
  const ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
  return zip(
    [
      {
        name: "[Content_Types].xml",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets.map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join("")}</Types>`,
      },
      {
        name: "_rels/.rels",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ${ns}><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      },
      {
        name: "xl/workbook.xml",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names.map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets>${filterNames(sheets, names)}</workbook>`,
      },
      {
        name: "xl/_rels/workbook.xml.rels",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ${ns}>${sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("")}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
      },
      { name: "xl/styles.xml", data: STYLES },
      ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetXml(s) })),
    ],
    created,
  );
}
