/**
 * `npm run bench:forecast`: backtests of the explainable forecasts (docs/FORECAST.md) on a simulated fleet
 * with years of history (simulators/history). Pure CPU, no database. Writes its section of
 * docs/PERFORMANCE.md and its figures for the summary (full runs); `--quick` runs a small fleet.
 */
import { loadavg } from "node:os";
import { isQuick, machineLine, recordFigures, writeSection } from "./lib/perf-doc";
import { fleetHistory, scoreHorizons, scoreLeadTime, scoreLevelTrend } from "./lib/forecast-backtest";
import { simulatedFleet } from "@/simulators/history/generator";
import { rand } from "@/simulators/providers/wells";
import { INTERVAL_LEVEL } from "@/domain/forecast/right";

const quick = isQuick();
const loadAvgStart = Number(loadavg()[0]!.toFixed(2));
const WELLS = quick ? 12 : 60;
const HORIZONS = [7, 30, 90] as const;
const LEAD_DAYS = 60;
const t0 = Date.now();

// Three years of history (2023–2025) before the test year 2026; the generator's reference day is 2025-01-01.
const fleet = fleetHistory(simulatedFleet(WELLS, 20_261_203, "2025-01-01"), "2023-01-01", "2027-04-01");
const tGen = Date.now();
const horizons = scoreHorizons(fleet, "2026-01-01", "2026-12-31", HORIZONS, quick ? 28 : 14);
const tH = Date.now();
const lead = scoreLeadTime(fleet, "2026-01-01", LEAD_DAYS, (i) => 0.85 + 0.3 * rand(7, i, 1));
const tL = Date.now();
const level = scoreLevelTrend(fleet, "2026-01-01");
const elapsedS = (Date.now() - t0) / 1000;

const f1 = (n: number | null) => (n === null || !Number.isFinite(n) ? "—" : n.toFixed(1));
for (const h of horizons)
  console.log(
    `H=${h.horizonDays} d: ${h.forecasts} forecasts, MAPE ${f1(h.mapePct)} %, median APE ${f1(h.medianApePct)} %, coverage ${f1(h.coveragePct)} %`,
  );
console.log(`lead time: ${JSON.stringify(lead)}`);
console.log(`level trend: ${JSON.stringify(level)}`);
console.log(
  `generation ${((tGen - t0) / 1000).toFixed(1)} s, horizons ${((tH - tGen) / 1000).toFixed(1)} s, lead time ${((tL - tH) / 1000).toFixed(1)} s, total ${elapsedS.toFixed(1)} s`,
);

const h30 = horizons.find((h) => h.horizonDays === 30)!;
recordFigures(
  "forecast",
  [
    ...horizons.map((h) => ({
      id: `forecast_mape_${h.horizonDays}d`,
      label: `Forecast: ${h.horizonDays}-day volume MAPE`,
      value: Number(h.mapePct.toFixed(1)),
      unit: "%",
      ...(h.horizonDays === 30 ? { target: { op: "<=" as const, value: 10 } } : { better: "lower" as const }),
    })),
    {
      id: "forecast_coverage_30d",
      label: `Forecast: 30-day ${INTERVAL_LEVEL * 100} % interval coverage (target 80–95 %)`,
      value: Number(h30.coveragePct.toFixed(1)),
      unit: "%",
      target: { op: ">=", value: 80 },
    },
    {
      id: "forecast_lead_days",
      label: `Forecast: median lead time of right-exceedance alerts (${LEAD_DAYS}-day rule)`,
      value: lead.medianLeadDays ?? 0,
      unit: "d",
      better: "higher",
    },
  ],
  { quick, loadAvgStart, path: "in-process" },
);

if (!quick)
  writeSection(
    "forecast",
    [
      "## Forecast backtests (`npm run bench:forecast`)",
      "",
      `Last run: ${new Date().toISOString()} on ${machineLine()}; ${elapsedS.toFixed(0)} s wall-clock (load average ${loadAvgStart} → ${loadavg()[0]!.toFixed(1)}), pure CPU, no database.`,
      "",
      `Simulated fleet: ${WELLS} wells (simulators/history: irrigation season of 0–45 %, trend −12…+18 %/año, weekly pump schedules,`,
      "3–15 % daily noise, AR(1) wet/dry regimes, up to 2 % outage days), 3 years of history before the test year 2026.",
      `Volume forecasts from origins every 14 days through 2026, each fitted only on the days before it (model of docs/FORECAST.md);`,
      `error of the H-day volume sum and share of actual sums inside the ${INTERVAL_LEVEL * 100} % interval.`,
      "",
      "| horizon | forecasts | MAPE | median APE | interval coverage | goal |",
      "|---|---|---|---|---|---|",
      ...horizons.map(
        (h) =>
          `| ${h.horizonDays} d | ${h.forecasts} | ${f1(h.mapePct)} % | ${f1(h.medianApePct)} % | ${f1(h.coveragePct)} % | ${h.horizonDays === 30 ? `MAPE < 10 % (${h.mapePct < 10 ? "met" : "not met"}), coverage 80–95 % (${h.coveragePct >= 80 && h.coveragePct <= 95 ? "met" : "not met"})` : "—"} |`,
      ),
      "",
      `Right-exceedance alerts: each well's annual right set to 85–115 % of its actual 2026 extraction; the forecast runs weekly`,
      `and \`right_forecast\` fires when the projected exceedance date is within ${LEAD_DAYS} days.`,
      "",
      "| wells | exceeded their right | alerted before exceeding | missed | false alarms (never exceeded) | median lead time | shortest lead time |",
      "|---|---|---|---|---|---|---|",
      `| ${lead.wells} | ${lead.exceeded} | ${lead.alertedBeforeExceedance} | ${lead.missed} | ${lead.falseAlarms} | ${lead.medianLeadDays ?? "—"} d | ${lead.minLeadDays ?? "—"} d |`,
      "",
      `Water-table trend (365-day window at 2026-01-01) against the generator's true trend: mean absolute error ${level.maeMPerMonth.toFixed(3)} m/mes,`,
      `${f1(level.coveragePct)} % of true trends inside slope ± 1.645·SE.`,
    ].join("\n"),
  );
