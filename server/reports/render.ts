import { formatDateTime, formatNumber } from "@/domain/format";
import type { MonthlyReportData } from "./data";
import { reportTables } from "./tables";
import { xlsxWorkbook, type Cell } from "./xlsx";
import { renderPdf } from "./pdf";
import { SPREADSHEET_CSV, csvCell } from "@/domain/csv";

export const REPORT_FORMATS = ["csv", "xlsx", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

const cell = (v: Cell, decimals?: number): string => csvCell(v, SPREADSHEET_CSV, decimals);

/** CSV for spreadsheet users in Chile: ";" separator, decimal comma, UTF-8 with BOM, one block per table. */
export function renderCsv(d: MonthlyReportData): Buffer {
  const lines = [
    `Informe mensual de extracción;${cell(d.client.name)}`,
    `RUT;${cell(d.client.rut)}`,
    `Período;${cell(d.monthLabel)}`,
    `Generado;${cell(formatDateTime(d.generatedAt))}`,
    `Volumen total (m³);${cell(d.totals.volumeM3, 1)}`,
    "",
  ];
  for (const t of reportTables(d)) {
    lines.push(cell(t.title), t.columns.map((c) => cell(c.title)).join(";"));
    for (const r of t.rows) lines.push(r.map((v, i) => cell(v, t.columns[i]?.decimals)).join(";"));
    if (t.key === "receipts" && d.receiptsTruncated) lines.push("(lista truncada)");
    lines.push("");
  }
  return Buffer.from(`\ufeff${lines.join("\r\n")}`, "utf8");
}

export function renderXlsx(d: MonthlyReportData): Buffer {
  const summary: Cell[][] = [
    ["Informe mensual de extracción", d.client.name],
    ["RUT", d.client.rut],
    ["Período", d.monthLabel],
    ["Generado", formatDateTime(d.generatedAt)],
    ["Puntos", d.points.length],
    ["Volumen total (m³)", d.totals.volumeM3],
    ["Volumen anual otorgado (m³)", d.totals.annualVolumeM3],
    ["% del volumen anual", d.totals.pctOfAnnualVolume],
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
      { name: "Resumen", rows: summary, widths: [32, 40] },
      ...reportTables(d).map((t) => ({
        name: sheetNames[t.key] ?? t.title,
        rows: [t.columns.map((c) => c.title), ...t.rows],
        widths: t.columns.map((c) => Math.max(10, Math.round(c.width / 5))),
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

export const formatM3 = (v: number | null) => `${formatNumber(v, 0)} m³`;
