import { formatDate, formatDateTime } from "@/domain/format";
import type { MonthlyReportData } from "./data";
import { columnFormat, reportTables, type Column } from "./tables";
import { xlsxWorkbook, type Cell } from "./xlsx";
import { renderPdf } from "./pdf";
import { noDataNote } from "./no-data";
import { SPREADSHEET_CSV, csvCell } from "@/domain/csv";

export const REPORT_FORMATS = ["csv", "xlsx", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

const cell = (v: Cell, decimals?: number, c?: Column): string =>
  v instanceof Date
    ? csvCell(c?.date === "date" ? formatDate(v) : formatDateTime(v), SPREADSHEET_CSV)
    : csvCell(v, SPREADSHEET_CSV, decimals);

/** CSV for spreadsheet users in Chile: ";" separator, decimal comma, UTF-8 with BOM, one block per table. */
export function renderCsv(d: MonthlyReportData): Buffer {
  const lines = [
    `Informe mensual de extracción;${cell(d.client.name)}`,
    `RUT;${cell(d.client.rut)}`,
    `Período;${cell(d.monthLabel)}`,
    `Generado (America/Santiago);${cell(formatDateTime(d.generatedAt))}`,
    `Volumen total (m³);${cell(d.totals.volumeM3, 1)}`,
    ...(noDataNote(d) ? [cell(noDataNote(d))] : []),
    "",
  ];
  for (const t of reportTables(d)) {
    lines.push(cell(t.title), t.columns.map((c) => cell(c.title)).join(";"));
    for (const r of t.rows) lines.push(r.map((v, i) => cell(v, t.columns[i]?.decimals, t.columns[i])).join(";"));
    if (t.rows.length === 0) lines.push("Sin datos en el período.");
    if (t.key === "receipts" && d.receiptsTruncated) lines.push("(lista truncada)");
    lines.push("");
  }
  return Buffer.from(`\ufeff${lines.join("\r\n")}`, "utf8");
}

function renderXlsx(d: MonthlyReportData): Buffer {
  const summary: Cell[][] = [
    ["Informe mensual de extracción", d.client.name],
    ["RUT", d.client.rut],
    ["Período", d.monthLabel],
    ["Generado (America/Santiago)", d.generatedAt],
    ["Puntos", d.points.length],
    ["Volumen total (m³)", d.totals.volumeM3],
    ["Volumen anual otorgado (m³)", d.totals.annualVolumeM3],
    [
      "% del volumen anual",
      d.totals.pctOfAnnualVolume == null ? null : Math.round(d.totals.pctOfAnnualVolume * 10) / 10,
    ],
    ...(noDataNote(d) ? [[noDataNote(d)]] : []),
  ];
  const sheetNames: Record<string, string> = {
    extraction: "Extracción",
    daily: "Extracción diaria",
    dga: "DGA",
    receipts: "Comprobantes DGA",
    quality: "Calidad",
  };
  return xlsxWorkbook(
    [
      // Label/value pairs, not a list: no header row or filter.
      { name: "Resumen", rows: summary, widths: [32, 40], header: false },
      ...reportTables(d).map((t) => ({
        name: sheetNames[t.key] ?? t.title,
        rows: t.rows.length
          ? [t.columns.map((c) => c.title), ...t.rows]
          : [t.columns.map((c) => c.title), ["Sin datos en el período."]],
        widths: t.columns.map((c) => Math.max(10, Math.round(c.width / 5))),
        formats: t.columns.map(columnFormat),
      })),
    ],
    d.generatedAt,
  );
}

export function renderReport(d: MonthlyReportData, format: ReportFormat): Buffer {
  if (format === "csv") return renderCsv(d);
  if (format === "xlsx") return renderXlsx(d);
  return renderPdf(d);
}
