import { formatDate, formatDateTime, formatNumber } from "@/domain/format";
import type { MonthlyReportData } from "./data";
import { PdfDoc, type Rgb } from "./pdf-writer";
import { displayCell, reportTables, type Table } from "./tables";
import { noDataNote } from "./no-data";

const M = 36;
const BLUE: Rgb = [0.12, 0.38, 0.62];
const GREY: Rgb = [0.45, 0.45, 0.45];
const LIGHT: Rgb = [0.93, 0.95, 0.97];
const RED: Rgb = [0.75, 0.15, 0.15];

/** Picks a "nice" axis maximum and step (1, 2, 5 × 10^k) for about `ticks` gridlines. */
function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return { top: Math.ceil(max / step) * step, step };
}

function header(doc: PdfDoc, d: MonthlyReportData): number {
  doc.rect(0, 0, doc.width, 6, { fill: BLUE });
  doc.text(M, M + 8, "Informe mensual de extracción", { size: 18, bold: true, color: BLUE });
  doc.text(M, M + 28, d.client.name, { size: 13, bold: true });
  doc.text(
    M,
    M + 44,
    `RUT ${d.client.rut} · Período: ${d.monthLabel} (${formatDate(d.from)} al ${formatDate(new Date(d.to.getTime() - 1))})`,
    { size: 10, color: GREY },
  );
  doc.text(doc.width - M, M + 8, `Generado ${formatDateTime(d.generatedAt)} (hora de Santiago)`, {
    size: 9,
    align: "right",
    color: GREY,
  });
  return M + 60;
}

function summary(doc: PdfDoc, d: MonthlyReportData, y: number): number {
  const sent = d.dga.reduce((s, x) => s + x.sent, 0);
  const due = d.dga.reduce((s, x) => s + x.due, 0);
  const over = d.points.filter((p) => p.peakAboveGranted).length;
  const boxes: [string, string][] = [
    ["Volumen extraído", `${formatNumber(d.totals.volumeM3, 0)} m³`],
    [
      "% del volumen anual otorgado",
      d.totals.pctOfAnnualVolume == null ? "—" : `${formatNumber(d.totals.pctOfAnnualVolume, 1)} %`,
    ],
    [
      "Puntos que superaron su caudal otorgado",
      over === 0 ? `Ninguno de ${d.points.length}` : `${over} de ${d.points.length}`,
    ],
    ["Envíos DGA realizados", due === 0 ? "Ninguno exigible" : `${formatNumber(sent, 0)} de ${formatNumber(due, 0)}`],
  ];
  const w = (doc.width - 2 * M - 3 * 10) / 4;
  boxes.forEach(([label, value], i) => {
    const x = M + i * (w + 10);
    doc.rect(x, y, w, 44, { fill: LIGHT });
    doc.text(x + 8, y + 15, label, { size: 8.5, color: GREY });
    doc.text(x + 8, y + 35, value, { size: 14, bold: true, color: i === 2 && over > 0 ? RED : [0, 0, 0] });
  });
  return y + 58;
}

/** Bar chart of the client's daily extraction with a dashed-free average line. */
function dailyChart(doc: PdfDoc, d: MonthlyReportData, y: number, h: number): number {
  const x0 = M + 46;
  const x1 = doc.width - M;
  const top = y + 18;
  const bottom = y + h - 18;
  doc.text(M, y + 8, "Extracción diaria del cliente (m³/día)", { size: 11, bold: true });
  const byDay = new Map(d.daily.map((x) => [x.day, x.volumeM3]));
  const days = Array.from({ length: d.days }, (_, i) => `${d.month}-${String(i + 1).padStart(2, "0")}`);
  const values = days.map((k) => byDay.get(k) ?? 0);
  const { top: vmax, step } = niceScale(Math.max(...values, 0));
  const yOf = (v: number) => bottom - ((bottom - top) * v) / vmax;
  for (let v = 0; v <= vmax + step / 2; v += step) {
    doc.line(x0, yOf(v), x1, yOf(v), { width: 0.3, color: [0.82, 0.82, 0.82] });
    doc.text(x0 - 4, yOf(v) + 3, formatNumber(v, step < 1 ? 1 : 0), { size: 7, align: "right", color: GREY });
  }
  const slot = (x1 - x0) / days.length;
  values.forEach((v, i) => {
    const bx = x0 + i * slot + slot * 0.15;
    if (v > 0) doc.rect(bx, yOf(v), slot * 0.7, bottom - yOf(v), { fill: BLUE });
    if (i % (days.length > 20 ? 2 : 1) === 0)
      doc.text(bx + slot * 0.35, bottom + 10, String(i + 1), { size: 6.5, align: "center", color: GREY });
  });
  const withData = values.filter((v) => v > 0);
  if (withData.length) {
    const avg = withData.reduce((s, v) => s + v, 0) / withData.length;
    doc.polyline(
      [
        [x0, yOf(avg)],
        [x1, yOf(avg)],
      ],
      { width: 0.8, color: RED },
    );
    doc.text(x1, yOf(avg) - 3, `promedio ${formatNumber(avg, 0)} m³/día`, { size: 7, align: "right", color: RED });
  }
  doc.line(x0, bottom, x1, bottom, { width: 0.8 });
  doc.line(x0, top, x0, bottom, { width: 0.8 });
  return y + h;
}

/** Draws a table with a repeated header, breaking pages as needed; returns the y after it. */
function table(doc: PdfDoc, t: Table, yStart: number, newPage: () => number): number {
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const scale = (doc.width - 2 * M) / total;
  const widths = t.columns.map((c) => c.width * scale);
  const rowH = 13;
  const drawHeader = (y: number) => {
    doc.rect(M, y, doc.width - 2 * M, 24, { fill: BLUE });
    let x = M;
    t.columns.forEach((c, i) => {
      const w = widths[i]!;
      const words = c.title.split(" ");
      const half = Math.ceil(words.length / 2);
      const lines =
        doc.textWidth(c.title, 7, true) > w - 6 && words.length > 1
          ? [words.slice(0, half).join(" "), words.slice(half).join(" ")]
          : [c.title];
      lines.forEach((ln, k) => {
        const ty = y + (lines.length === 1 ? 15 : 10 + k * 9);
        const text = doc.fit(ln, w - 6, 7, true);
        if (c.decimals === undefined) doc.text(x + 3, ty, text, { size: 7, bold: true, color: [1, 1, 1] });
        else doc.text(x + w - 3, ty, text, { size: 7, bold: true, color: [1, 1, 1], align: "right" });
      });
      x += w;
    });
    return y + 24;
  };
  let y = yStart;
  if (y + 24 + 3 * rowH > doc.height - M) y = newPage();
  doc.text(M, y + 10, t.title, { size: 11, bold: true });
  y = drawHeader(y + 16);
  if (t.rows.length === 0) {
    doc.text(M + 3, y + 10, "Sin datos en el período.", { size: 8, color: GREY });
    return y + rowH + 12;
  }
  t.rows.forEach((row, r) => {
    if (y + rowH > doc.height - M - 10) y = drawHeader(newPage());
    if (r % 2 === 1) doc.rect(M, y, doc.width - 2 * M, rowH, { fill: LIGHT });
    let x = M;
    row.forEach((v, i) => {
      const c = t.columns[i]!;
      const w = widths[i]!;
      const text = doc.fit(displayCell(v, c), w - 6, 7.5);
      if (c.decimals === undefined) doc.text(x + 3, y + 9.5, text, { size: 7.5 });
      else doc.text(x + w - 3, y + 9.5, text, { size: 7.5, align: "right" });
      x += w;
    });
    y += rowH;
  });
  return y + 14;
}

/** The monthly report as a PDF: header, summary, daily extraction chart, extraction / DGA / quality tables. */
export function renderPdf(d: MonthlyReportData): Buffer {
  const doc = new PdfDoc({ landscape: true });
  doc.addPage();
  let y = header(doc, d);
  y = summary(doc, d, y);
  const empty = noDataNote(d);
  if (empty) {
    doc.rect(M, y, doc.width - 2 * M, 30, { fill: LIGHT });
    doc.text(M + 10, y + 19, empty, { size: 11, bold: true, color: RED });
    y += 40;
  } else y = dailyChart(doc, d, y, 190);
  const newPage = () => {
    doc.addPage();
    doc.rect(0, 0, doc.width, 6, { fill: BLUE });
    doc.text(M, M, `${d.client.name} · ${d.monthLabel}`, { size: 9, color: GREY });
    return M + 12;
  };
  for (const t of reportTables(d).filter((x) => x.key === "extraction" || x.key === "dga" || x.key === "quality"))
    y = table(doc, t, y + 6, newPage);
  if (y + 16 > doc.height - M - 10) y = newPage();
  doc.text(
    M,
    y + 6,
    "Volumen desde el totalizador (días y horas de America/Santiago). Caudal medio de las lecturas y máximo: lecturas válidas. Caudal medio del mes: volumen repartido en todas las horas del mes, comparado con el otorgado. Un envío DGA es atrasado si se envió más de 1 h después de su hora.",
    { size: 7, color: GREY },
  );
  const pages = doc.pageCount;
  for (let i = 0; i < pages; i++)
    doc.onPage(i, () =>
      doc.text(doc.width - M, doc.height - 18, `Página ${i + 1} de ${pages}`, {
        size: 7.5,
        align: "right",
        color: GREY,
      }),
    );
  return doc.build({
    title: `Informe mensual de extracción — ${d.client.name} — ${d.monthLabel}`,
    created: d.generatedAt,
  });
}
