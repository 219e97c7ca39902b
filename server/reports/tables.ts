import { formatDate, formatDateTime, formatNumber, zonedTimeToDate } from "@/domain/format";
import { labelOf } from "@/domain/measurements/quality";
import type { MonthlyReportData } from "./data";
import { DGA_SLOT_STATE_LABEL } from "@/domain/i18n/labels";
import type { Cell, ColumnFormat } from "./xlsx";

export interface Column {
  title: string;
  /** Relative width in the PDF. */
  width: number;
  /** Decimals for numbers in CSV/PDF text; undefined for text columns. */
  decimals?: number;
  /** Date columns (cells are Date; shown in America/Santiago). */
  date?: "date" | "datetime";
}

/** The spreadsheet format of a column: its dates as dates, integers without decimals. */
export function columnFormat(c: Column): ColumnFormat {
  if (c.date) return c.date;
  if (c.decimals === undefined) return "text";
  return c.decimals === 0 ? "int" : c.decimals === 1 ? "dec1" : "dec2";
}
export interface Table {
  key: "extraction" | "daily" | "dga" | "receipts" | "quality";
  title: string;
  columns: Column[];
  rows: Cell[][];
}

const pct = (v: number | null) => (v == null ? null : Math.round(v * 10) / 10);
/** "2026-11-05" as the instant of that Santiago midnight (a date cell). */
const dayDate = (day: string) => zonedTimeToDate(`${day}T00:00`);

/** The report's tables, shared by the CSV, XLSX and PDF renderers (values raw; each format formats them). */
export function reportTables(d: MonthlyReportData): Table[] {
  return [
    {
      key: "extraction",
      title: "Extracción por punto",
      columns: [
        { title: "Punto", width: 150 },
        { title: "Código obra", width: 80 },
        { title: "Volumen (m³)", width: 70, decimals: 1 },
        { title: "Caudal medio de las lecturas (L/s)", width: 66, decimals: 2 },
        { title: "Caudal máx. (L/s)", width: 56, decimals: 2 },
        { title: "Caudal otorgado (L/s)", width: 60, decimals: 2 },
        { title: "Caudal medio del mes según volumen (L/s)", width: 74, decimals: 2 },
        { title: "Uso del caudal otorgado en el mes (%)", width: 66, decimals: 1 },
        { title: "Volumen anual otorgado (m³)", width: 80, decimals: 0 },
        { title: "% volumen anual", width: 54, decimals: 1 },
        { title: "Nivel mín. (m)", width: 50, decimals: 2 },
        { title: "Nivel máx. (m)", width: 50, decimals: 2 },
        { title: "Días con datos", width: 44, decimals: 0 },
      ],
      rows: d.points.map((p) => [
        p.name,
        p.obraCode ?? "",
        p.volumeM3,
        p.avgFlowLps,
        p.peakFlowLps,
        p.grantedFlowLps,
        p.volumeAvgFlowLps,
        pct(p.pctOfGrantedFlow),
        p.annualVolumeM3,
        pct(p.pctOfAnnualVolume),
        p.levelMinM,
        p.levelMaxM,
        p.daysWithData,
      ]),
    },
    {
      key: "daily",
      title: "Extracción diaria del cliente",
      columns: [
        { title: "Día", width: 80, date: "date" },
        { title: "Volumen (m³)", width: 80, decimals: 1 },
      ],
      rows: d.daily.map((x) => [dayDate(x.day), x.volumeM3]),
    },
    {
      key: "dga",
      title: "Cumplimiento DGA",
      columns: [
        { title: "Punto", width: 170 },
        { title: "Envíos exigibles", width: 60, decimals: 0 },
        { title: "Enviados", width: 55, decimals: 0 },
        { title: "Atrasados", width: 55, decimals: 0 },
        { title: "Fallidos", width: 55, decimals: 0 },
        { title: "Pendientes", width: 55, decimals: 0 },
        { title: "En revisión", width: 55, decimals: 0 },
        { title: "Omitidos", width: 55, decimals: 0 },
        { title: "Faltantes", width: 55, decimals: 0 },
        { title: "Comprobantes", width: 60, decimals: 0 },
        { title: "% enviados", width: 55, decimals: 1 },
      ],
      rows: d.dga.map((x) => [
        x.name,
        x.due,
        x.sent,
        x.late,
        x.failed,
        x.pending,
        x.review,
        x.skipped,
        x.missing,
        x.receipts,
        x.due ? pct((x.sent / x.due) * 100) : null,
      ]),
    },
    {
      key: "receipts",
      title: "Comprobantes DGA",
      columns: [
        { title: "Punto", width: 150 },
        { title: "Hora del envío exigible (America/Santiago)", width: 100, date: "datetime" },
        { title: "Estado", width: 60 },
        { title: "Comprobante", width: 200 },
        { title: "Enviado (America/Santiago)", width: 100, date: "datetime" },
      ],
      rows: d.receipts.map((r) => [
        r.pointName,
        r.slotAt,
        DGA_SLOT_STATE_LABEL[r.state] ?? r.state,
        r.receipt,
        r.sentAt,
      ]),
    },
    {
      key: "quality",
      title: "Calidad de datos",
      columns: [
        { title: "Punto", width: 170 },
        { title: "Horas esperadas", width: 60, decimals: 0 },
        { title: "Horas con datos", width: 60, decimals: 0 },
        { title: "Horas sin datos", width: 60, decimals: 0 },
        { title: "Mayor brecha (h)", width: 60, decimals: 0 },
        { title: "Lecturas excluidas", width: 60, decimals: 0 },
        { title: "Horas con banderas", width: 60, decimals: 0 },
        { title: "Peor calidad", width: 110 },
      ],
      rows: d.quality.map((x) => [
        x.name,
        x.hoursExpected,
        x.hoursWithData,
        x.gapHours,
        x.longestGapHours,
        x.excludedReadings,
        x.flaggedHours,
        labelOf(x.worstQuality),
      ]),
    },
  ];
}

/** A cell as Chilean display text (decimal comma). */
export function displayCell(v: Cell, c: Column): string {
  if (v === null || v === undefined) return "—";
  if (v instanceof Date) return c.date === "date" ? formatDate(v) : formatDateTime(v);
  if (typeof v === "number") return formatNumber(v, c.decimals ?? 2);
  return v;
}
