/** The figures bench/analytics.ts records in the results file; targets apply to the full run only. */
import type { HttpAnalytics } from "@/bench/lib/analytics-http";
import { pct } from "@/bench/lib/analytics-load";
import { recordFigures } from "@/bench/lib/perf-doc";

const round = (x: number) => Math.round(x * 10) / 10;

export function recordAnalyticsFigures({
  quick,
  P,
  concurrency,
  http,
  histLat,
  histCold,
  rtLat,
  reports,
  loadAvgStart,
}: {
  quick: boolean;
  P: { days: number; reportPoints: number };
  concurrency: number;
  http: HttpAnalytics;
  histLat: number[];
  histCold: number[];
  rtLat: number[];
  reports: { format: string; seconds: number; bytes: number }[];
  loadAvgStart: number;
}): void {
  const full = !quick;
  const lower = { better: "lower" as const };
  recordFigures(
    "analytics",
    [
      {
        id: "http_history_year_cold_p99_ms",
        label: `History over ${Math.min(P.days, 365)} days, auto bucket, every request a cache miss, p99 at ${concurrency} concurrent (REST API process)`,
        value: http.api.yearCold.p99,
        unit: "ms",
        path: "production HTTP" as const,
        ...(full ? { target: { op: "<=" as const, value: 50 } } : lower),
      },
      {
        id: "http_history_hour_p99_ms",
        label: `History over 30 days, hourly buckets, every request a cache miss, p99 at ${concurrency} concurrent (REST API process)`,
        value: http.api.hourCold.p99,
        unit: "ms",
        path: "production HTTP" as const,
        ...(full ? { target: { op: "<=" as const, value: 100 } } : lower),
      },
      {
        id: "http_realtime_client_p99_ms",
        label: `Realtime of all ${P.reportPoints} points of a client, p99 at 10 concurrent (REST API process)`,
        value: http.api.realtime.p99,
        unit: "ms",
        path: "production HTTP" as const,
        ...(full ? { target: { op: "<=" as const, value: 50 } } : lower),
      },
      ...(["yearCold", "hourCold", "realtime"] as const).map((k) => ({
        id: `http_next_${k}_p99_ms`,
        label: `Same, ${k === "yearCold" ? "1-year history" : k === "hourCold" ? "30-day hourly history" : "realtime of the client"}, through the Next standalone server (one-box path)`,
        value: http.next[k].p99,
        unit: "ms",
        path: "production HTTP" as const,
        ...lower,
      })),
      ...(["yearCold", "hourCold", "realtime"] as const).map((k) => ({
        id: `http_api_cpu_${k}_ms`,
        label: `REST API process CPU per request, ${k === "yearCold" ? "1-year history" : k === "hourCold" ? "30-day hourly history" : "realtime of the client"}`,
        value: http.api.cpuMsPerRequest[k],
        unit: "ms",
        path: "production HTTP" as const,
        ...lower,
      })),
      {
        id: "history_year_p50_ms",
        label: `History of one point over ${Math.min(P.days, 365)} days (history cache warm), p50 at ${concurrency} concurrent`,
        value: round(pct(histLat, 50)),
        unit: "ms",
        path: "in-process" as const,
        ...lower,
      },
      {
        id: "history_year_p99_ms",
        label: `History of one point over ${Math.min(P.days, 365)} days, p99 at ${concurrency} concurrent`,
        value: round(pct(histLat, 99)),
        unit: "ms",
        path: "in-process" as const,
        ...lower,
      },
      {
        id: "history_year_cold_p50_ms",
        label: `History over ${Math.min(P.days, 365)} days, cold (each request a new point, cache miss), p50 at ${concurrency} concurrent`,
        value: round(pct(histCold, 50)),
        unit: "ms",
        path: "in-process" as const,
        ...lower,
      },
      {
        id: "history_year_cold_p99_ms",
        label: `History over ${Math.min(P.days, 365)} days, cold, p99 at ${concurrency} concurrent`,
        value: round(pct(histCold, 99)),
        unit: "ms",
        path: "in-process" as const,
        ...lower,
      },
      {
        id: "realtime_client_p99_ms",
        label: `Realtime of all ${P.reportPoints} points of a client, p99`,
        value: round(pct(rtLat, 99)),
        unit: "ms",
        path: "in-process" as const,
        ...lower,
      },
      ...reports.map((r) => ({
        id: `report_${r.format}_s`,
        label: `Monthly extraction report, ${P.reportPoints}-point client, ${r.format.toUpperCase()}`,
        value: Number(r.seconds.toFixed(2)),
        unit: "s",
        path: "in-process" as const,
        ...(full ? { target: { op: "<=" as const, value: 10 } } : lower),
      })),
    ],
    { quick, loadAvgStart },
  );
}
