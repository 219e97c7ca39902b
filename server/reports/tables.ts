import { formatDateTime, formatNumber } from "@/domain/format";
import { labelOf } from "@/domain/measurements/quality";
import type { MonthlyReportData } from "./data";
import type { Cell } from "./xlsx";

export interface Column {
  title: string;
  /** Relative width in the PDF. */
  width: number;
  /** Decimals for numbers in CSV/PDF text; undefined for text columns. */
  decimals?: number;
}
export interface Table {
  key: "extraction" | "daily" | "dga" | "receipts" | "quality";
  title: string;
  columns: Column[];
  rows: Cell[][];
}

const pct = (v: number | null) => (v == null ? null : Math.round(v * 10) / 10);

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
        { title: "Caudal medio (L/s)", width: 62, decimals: 2 },
        { title: "Caudal máx. (L/s)", width: 62, decimals: 2 },
        { title: "Caudal otorgado (L/s)", width: 66, decimals: 2 },
        { title: "% caudal otorgado", width: 56, decimals: 1 },
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
        { title: "Día", width: 80 },
        { title: "Volumen (m³)", width: 80, decimals: 1 },
      ],
      rows: d.daily.map((x) => [x.day, x.volumeM3]),
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
        { title: "Hora del envío exigible", width: 100 },
        { title: "Estado", width: 60 },
        { title: "Comprobante", width: 200 },
        { title: "Enviado", width: 100 },
      ],
      rows: d.receipts.map((r) => [
        r.pointName,
        formatDateTime(r.slotAt),
        r.state,
        r.receipt,
        r.sentAt ? formatDateTime(r.sentAt) : "",
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
  if (typeof v === "number") return formatNumber(v, c.decimals ?? 2);
  return v;
}
