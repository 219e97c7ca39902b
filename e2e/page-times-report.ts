import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { machineLine, recordFigures, writeSection } from "../bench/lib/perf-doc";

interface PageTimes {
  measuredAt: string;
  pages: Record<string, { first: number; best: number; samples: number[] }>;
}

/** Puts the page load times the browser journeys measured into docs/PERFORMANCE.md (section "pages"). */
export function reportPageTimes(file = "e2e/results/page-times.json", loadAvgStart?: number): void {
  if (!existsSync(file)) return;
  const t = JSON.parse(readFileSync(file, "utf8")) as PageTimes;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
  const rows = Object.entries(t.pages).map(([page, p]) => ({
    page,
    median: median(p.samples),
    first: p.first,
    best: p.best,
    n: p.samples.length,
  }));
  recordFigures(
    "pages",
    rows.map((r) => ({
      id: `page_${r.page}_ms`,
      label: `Page load: ${r.page} (median of ${r.n})`,
      value: r.median,
      unit: "ms",
      target: { op: "<=" as const, value: 1000 },
    })),
    { quick: false, loadAvgStart, path: "browser over HTTP" },
  );
  writeSection(
    "pages",
    [
      "## Portal page load times (measured by the e2e run)",
      "",
      `Run ${t.measuredAt} on ${machineLine()} (load average ${loadAvgStart != null ? `${loadAvgStart.toFixed(1)} at the start, ` : ""}${loadavg()[0]!.toFixed(1)} at the end; other jobs may share the machine). Navigation start → main content visible in Debian's`,
      "chromium against the production build (the standalone server) on the demo data; the first visit of a page includes the server's cold start.",
      "",
      "| page | median ms | first ms | best ms | samples | target |",
      "|---|---:|---:|---:|---:|---|",
      ...rows.map(
        (r) =>
          `| ${r.page} | ${r.median} | ${r.first} | ${r.best} | ${r.n} | ${r.median <= 1000 ? "met (≤ 1000 ms)" : "not met (≤ 1000 ms)"} |`,
      ),
    ].join("\n"),
  );
}
