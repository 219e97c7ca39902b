import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

/** A plain SVG line chart (log-free, nice ticks); rendered to PNG by Debian's chromium. */
export function lineChartSvg(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  yTarget?: { value: number; label: string };
}): string {
  const W = 900,
    H = 480,
    L = 80,
    R = 30,
    T = 50,
    B = 60;
  const xs = opts.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = opts.series.flatMap((s) => s.points.map((p) => p.y)).concat(opts.yTarget ? [opts.yTarget.value] : []);
  const xMax = Math.max(...xs, 1),
    yMax = niceCeil(Math.max(...ys, 1));
  const X = (x: number) => L + (x / xMax) * (W - L - R);
  const Y = (y: number) => H - B - (y / yMax) * (H - T - B);
  const ticks = Array.from({ length: 6 }, (_, i) => (yMax / 5) * i);
  const lines = opts.series.map((s) => {
    const d = s.points.map((p, i) => `${i ? "L" : "M"}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(" ");
    const dots = s.points
      .map((p) => `<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="4" fill="${s.color}"/>`)
      .join("");
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"/>${dots}`;
  });
  const legend = opts.series
    .map((s, i) => {
      const x = W - R - (opts.series.length - i) * 90;
      return `<rect x="${x}" y="${T - 30}" width="14" height="14" fill="${s.color}"/><text x="${x + 20}" y="${T - 18}" font-size="14">${s.name}</text>`;
    })
    .join("");
  const target = opts.yTarget
    ? `<line x1="${L}" x2="${W - R}" y1="${Y(opts.yTarget.value)}" y2="${Y(opts.yTarget.value)}" stroke="#b3261e" stroke-dasharray="6 4"/><text x="${W - R - 4}" y="${Y(opts.yTarget.value) - 6}" text-anchor="end" font-size="13" fill="#b3261e">${opts.yTarget.label}</text>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${L}" y="24" font-size="17" font-weight="bold">${opts.title}</text>${legend}
${ticks.map((t) => `<line x1="${L}" x2="${W - R}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e3e8ec"/><text x="${L - 8}" y="${Y(t) + 4}" text-anchor="end" font-size="12">${+t.toFixed(1)}</text>`).join("")}
${[...new Set(xs)].map((x) => `<text x="${X(x)}" y="${H - B + 20}" text-anchor="middle" font-size="12">${x}</text>`).join("")}
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>
<text x="${W / 2}" y="${H - 15}" text-anchor="middle" font-size="14">${opts.xLabel}</text>
<text transform="translate(20 ${H / 2}) rotate(-90)" text-anchor="middle" font-size="14">${opts.yLabel}</text>
${target}${lines.join("")}
</svg>`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v) ?? v;
}

export async function svgToPng(svg: string, file: string): Promise<void> {
  const ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "sh-chart-")), {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 900, height: 480 });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.locator("svg").screenshot({ path: file });
  } finally {
    await ctx.close();
  }
}
