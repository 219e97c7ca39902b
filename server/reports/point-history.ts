import { formatDateTime } from "@/domain/format";
import { SPREADSHEET_CSV, csvCell } from "@/domain/csv";
import { QUALITY_LABEL_ES } from "@/domain/measurements/quality";
import { VARIABLE_LABEL } from "@/domain/i18n/labels";
import { BUCKET_LABEL, unitLabel } from "@/domain/ui/chart";
import type { BucketRow, HistoryResult, RawRow } from "@/server/analytics/history";
import { xlsxWorkbook, type Cell, type ColumnFormat } from "./xlsx";

export const HISTORY_EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];

const TIME_TITLE = "Fecha y hora (America/Santiago)";

/**
 * A point's history as shown on its page, one row per instant and a value and quality column per
 * variable; buckets give their mean (flow, level) or last reading (totalizer) and consumption.
 */
function historyTable(h: HistoryResult): { header: string[]; formats: ColumnFormat[]; rows: Cell[][] } {
  const header = [TIME_TITLE];
  const formats: ColumnFormat[] = ["datetime"];
  const byT = new Map<number, Cell[]>();
  const width = 1 + h.series.length * 2 + (h.bucket === "raw" ? 0 : 1);
  let col = 1;
  let consumptionCol = -1;
  for (const s of h.series) {
    const name = `${VARIABLE_LABEL[s.variable]} (${unitLabel(s.unit)})`;
    header.push(name, `Calidad ${VARIABLE_LABEL[s.variable].toLowerCase()}`);
    formats.push(s.variable === "totalizer" ? "dec1" : "dec2", "text");
    const withConsumption = h.bucket !== "raw" && s.variable === "totalizer";
    if (withConsumption) {
      consumptionCol = col + 2;
      header.push("Consumo del intervalo (m³)");
      formats.push("dec1");
    }
    for (const r of s.rows) {
      const t = new Date(r.t).getTime();
      let row = byT.get(t);
      if (!row) {
        row = Array.from({ length: width }, () => null);
        row[0] = new Date(t);
        byT.set(t, row);
      }
      if ("value" in r) {
        const raw = r as RawRow;
        row[col] = raw.value;
        row[col + 1] = QUALITY_LABEL_ES[raw.quality];
      } else {
        const b = r as BucketRow;
        row[col] = s.variable === "totalizer" ? b.last : b.avg;
        row[col + 1] = b.count + b.excluded > 0 ? QUALITY_LABEL_ES[b.worstQuality] : "Sin lecturas";
        if (withConsumption) row[consumptionCol] = b.consumptionM3;
      }
    }
    col += withConsumption ? 3 : 2;
  }
  const rows = [...byT.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r.slice(0, header.length));
  return { header, formats, rows };
}

export function historyFileName(pointName: string, h: HistoryResult, format: HistoryExportFormat): string {
  const slug = pointName
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  const day = (d: Date) => formatDateTime(d).slice(0, 10).split("-").reverse().join("-");
  return `historia-${slug || h.pointId}-${day(h.from)}-a-${day(h.to)}.${format}`;
}

/** The history as a Chilean spreadsheet CSV (";", decimal comma, UTF-8 with BOM) or an XLSX with typed cells. */
export function renderHistoryExport(pointName: string, h: HistoryResult, format: HistoryExportFormat): Buffer {
  const t = historyTable(h);
  const title = `${pointName} · ${formatDateTime(h.from)} a ${formatDateTime(h.to)} (America/Santiago) · ${BUCKET_LABEL[h.bucket] ?? h.bucket}`;
  if (format === "xlsx") {
    return xlsxWorkbook(
      [
        {
          name: "Historia",
          rows: [t.header, ...t.rows],
          formats: t.formats,
          widths: t.header.map((x, i) => (i === 0 ? 22 : Math.max(12, x.length + 2))),
        },
        {
          name: "Acerca de",
          rows: [
            ["Punto", pointName],
            ["Rango", title],
          ],
          header: false,
          widths: [12, 90],
        },
      ],
      h.to,
    );
  }
  const cell = (v: Cell, f: ColumnFormat | undefined) =>
    v instanceof Date
      ? csvCell(formatDateTime(v), SPREADSHEET_CSV)
      : csvCell(v, SPREADSHEET_CSV, typeof v === "number" ? (f === "dec1" ? 1 : f === "int" ? 0 : 2) : undefined);
  const lines = [
    csvCell(title, SPREADSHEET_CSV),
    t.header.map((x) => csvCell(x, SPREADSHEET_CSV)).join(";"),
    ...t.rows.map((r) => r.map((v, i) => cell(v, t.formats[i])).join(";")),
  ];
  return Buffer.from(`\ufeff${lines.join("\r\n")}\r\n`, "utf8");
}
