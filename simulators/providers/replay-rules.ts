/**
 * Runs simulated wells through the processor's decisions without a database: normalise each
 * delivery batch, recompute the affected window of every series (recomputeSeries, as the processor
 * does), evaluate the anomaly rules on the assessed rows and sweep for offline points. Used to
 * calibrate the rules on a month of normal operation and to check that injected faults are caught.
 */
import { evaluateRules, type AnomalyCandidate } from "@/domain/anomalies/rules";
import { isOffline } from "@/domain/anomalies/offline";
import { errorCodesFor } from "@/domain/measurements/error-codes";
import { normalizeReadings } from "@/domain/measurements/normalize";
import type { RawReading, Variable } from "@/domain/measurements/types";
import type { SeriesRow } from "@/domain/measurements/assess";
import { recomputeSeries, type PointConfig } from "@/server/timeseries/recompute";
import { CONTEXT_ROWS } from "@/server/timeseries/window";
import type { StoredRow } from "@/server/timeseries/types";
import type { FleetWell } from "./fleet";
import { deliveries, sampleValue, samplesForward } from "./well-samples";

const ORDER: Variable[] = ["flow", "totalizer", "level", "water_table"];
const HOUR_MS = 3_600_000;

export interface ReplayAlarm {
  type: AnomalyCandidate["type"];
  variable: string;
  at: Date;
  reason: string;
}

/** Rows of one series kept sorted by ts, as the measurement table would hold them. */
class SeriesStore {
  private rows: StoredRow[] = [];
  /** First index whose ts ≥ ms. */
  private lowerBound(ms: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid]!.ts.getTime() < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Whole UTC hours spanning [fromMs, toMs] widened by CONTEXT_ROWS rows each side (server/timeseries/window.ts). */
  window(fromMs: number, toMs: number): StoredRow[] {
    const a = this.lowerBound(Math.floor(fromMs / HOUR_MS) * HOUR_MS);
    const b = this.lowerBound(Math.floor(toMs / HOUR_MS) * HOUR_MS + HOUR_MS);
    return this.rows.slice(Math.max(0, a - CONTEXT_ROWS), b + CONTEXT_ROWS);
  }
  insert(rows: readonly StoredRow[]): void {
    for (const r of rows) this.rows.splice(this.lowerBound(r.ts.getTime()), 0, r);
  }
}

/**
 * Replays [from, to) of one well: deliveries are batched by the minute they arrive (late and duplicate
 * ones included), alarms are grouped like notifications: a repeat of the same type and variable within
 * `regroupMs` of the previous one is the same alarm.
 */
export function replayWell(
  w: FleetWell,
  from: Date,
  to: Date,
  opts: { batchMs?: number; sweepMs?: number; regroupMs?: number } = {},
): ReplayAlarm[] {
  const batchMs = opts.batchMs ?? 5 * 60_000;
  const sweepMs = opts.sweepMs ?? 5 * 60_000;
  const regroupMs = opts.regroupMs ?? 6 * HOUR_MS;
  const mappings = w.variables.map((v) => ({ ...v, errorCodes: errorCodesFor(w.provider, v.variable, null) }));
  const expectedMin = w.well.stepSec / 60;
  const config: PointConfig = {
    pointId: 1,
    grantedFlowLps: w.point.grantedFlowLps ?? null,
    expectedIntervalMs: w.well.stepSec * 1000,
  };
  const batches = new Map<number, RawReading[]>();
  for (const s of samplesForward(w.well, from, to)) {
    for (const d of deliveries(s)) {
      if (d.at >= to) continue;
      const k = Math.floor(d.at.getTime() / batchMs);
      const list = batches.get(k) ?? [];
      for (const v of w.variables)
        list.push({
          deviceRef: w.deviceRef,
          key: v.key,
          measuredAt: s.t,
          rawValue: sampleValue(s, v.variable),
          rawUnit: null,
        });
      batches.set(k, list);
    }
  }
  const stores = new Map<Variable, SeriesStore>(ORDER.map((v) => [v, new SeriesStore()]));
  const alarms: ReplayAlarm[] = [];
  const lastRaised = new Map<string, number>();
  const raise = (c: { type: AnomalyCandidate["type"]; variable: string; reason: string }, at: number) => {
    const key = `${c.type}|${c.variable}`;
    const prev = lastRaised.get(key);
    lastRaised.set(key, at);
    if (prev === undefined || at - prev > regroupMs)
      alarms.push({ type: c.type, variable: c.variable, at: new Date(at), reason: c.reason });
  };
  let lastSeen = from.getTime();
  let offline = false;
  for (let t = from.getTime(); t < to.getTime(); t += batchMs) {
    const now = t + batchMs;
    const readings = batches.get(Math.floor(t / batchMs)) ?? [];
    if (readings.length) {
      const { rows } = normalizeReadings(readings, mappings, w.point, {
        pointId: 1,
        source: w.provider,
        now: new Date(now),
        futureToleranceMs: 300_000,
      });
      const byVar = new Map<Variable, StoredRow[]>();
      for (const r of rows) {
        const list = byVar.get(r.variable) ?? [];
        list.push({ ...r, baseQuality: r.quality, baseReason: r.reason, rawId: null });
        byVar.set(r.variable, list);
      }
      let flow: readonly SeriesRow[] | undefined;
      for (const variable of ORDER) {
        const store = stores.get(variable)!;
        const incoming = byVar.get(variable);
        const span = incoming ?? byVar.get("level") ?? byVar.get("totalizer");
        if (!incoming) {
          if (variable === "flow" && span)
            flow = store.window(
              Math.min(...span.map((r) => r.ts.getTime())),
              Math.max(...span.map((r) => r.ts.getTime())),
            );
          continue;
        }
        const fromMs = Math.min(...incoming.map((r) => r.ts.getTime()));
        const toMs = Math.max(...incoming.map((r) => r.ts.getTime()));
        const existing = store.window(fromMs, toMs);
        const res = recomputeSeries(
          config,
          { variable, existing, existingConflicts: [], incoming },
          variable === "flow" ? undefined : flow,
        );
        store.insert(res.inserts);
        if (variable === "flow") flow = res.assessed.length ? res.assessed : existing;
        if (res.latest) lastSeen = Math.max(lastSeen, res.latest.ts.getTime());
        const found = evaluateRules({
          clientId: 1,
          pointId: 1,
          grantedFlowLps: config.grantedFlowLps,
          variable,
          rows: res.assessed,
          flow: variable === "water_table" ? flow : undefined,
        });
        for (const c of found) raise(c, now);
      }
    }
    if (now % sweepMs === 0) {
      const off = isOffline(lastSeen, now, expectedMin);
      if (off && !offline) raise({ type: "point_offline", variable: "point", reason: "sin datos" }, now);
      offline = off;
    }
  }
  return alarms;
}
