import type pg from "pg";
import type { SeriesRow } from "@/domain/measurements/assess";
import type { Variable } from "@/domain/measurements/types";
import { evaluateRules, type AnomalyCandidate } from "@/domain/anomalies/rules";
import { evaluateBuiltins, type ResolvedBuiltins } from "@/domain/alert-rules/builtin";
import { markRawProcessed, type RawPayloadRow } from "@/server/ingest/raw-store";
import { recomputeSeries, type PointConfig, type SeriesResult } from "@/server/timeseries/recompute";
import { insertConflicts, mergeMeasurements, updateFlags, upsertRollups } from "@/server/timeseries/store";
import { seriesKey, type FlagUpdate, type HourlyRollup, type StoredRow } from "@/server/timeseries/types";
import type { LoadedWindow, WindowRequest } from "@/server/timeseries/window";
import { recordAnomalies } from "@/server/anomalies/store";
import { fanOutNotifications, type PendingDelivery } from "@/server/notifications/fanout";
import { evaluateAlertRules, type RuleBatchInput } from "@/server/alert-rules/evaluate";
import type { LatestUpdate } from "@/server/realtime/latest";
import { metrics } from "@/server/metrics/registry";
import type { BindingCache } from "./bindings";
import { rawToRows } from "./parse";

/*
 * The stages of processing one batch of raw payloads, in the order server/processing/pipeline.ts runs them
 * (docs/ARCHITECTURE.md lists them). Stages inside the transaction take the transaction client `tx`.
 */

/** Namespace of the per-point advisory locks (first key of the two-int form). */
const POINT_LOCK_NAMESPACE = 0x5348;
/** Flow first: the totalizer assessment uses the assessed flow to tell a frozen register from a stopped pump. */
const ORDER: Variable[] = ["flow", "totalizer", "level", "water_table"];

export interface PointWork {
  pointId: number;
  clientId: number;
  config: PointConfig;
  series: Map<Variable, StoredRow[]>;
}

export interface RawMark {
  id: string;
  status: "processed" | "rejected";
  note: string | null;
  code: string | null;
}

export interface ParsedBatch {
  points: Map<number, PointWork>;
  marks: RawMark[];
  /** One instant per calendar month (UTC) the rows fall in: the partitions they need. */
  months: Date[];
  rows: number;
  rejected: number;
}

function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

/** Stage "parse": payloads → canonical rows grouped per point and series, plus how to mark each payload. */
export async function parseRaws(
  todo: readonly RawPayloadRow[],
  bindings: BindingCache,
  now: Date,
): Promise<ParsedBatch> {
  const points = new Map<number, PointWork>();
  const marks: RawMark[] = [];
  const months = new Map<number, Date>();
  let monthLo = Infinity;
  let monthHi = -Infinity;
  let rowCount = 0;
  for (const raw of todo) {
    const out = await rawToRows(raw, bindings, now);
    if (out.kind === "rejected") {
      marks.push({ id: raw.id, status: "rejected", note: out.reason, code: out.code ?? null });
      if (out.code)
        metrics.ingestRejected.inc({ provider: raw.provider, account: String(raw.accountId ?? ""), reason: out.code });
      continue;
    }
    marks.push({ id: raw.id, status: "processed", note: out.note, code: null });
    for (const b of out.bindings)
      if (!points.has(b.pointId))
        points.set(b.pointId, { pointId: b.pointId, clientId: b.clientId, config: b.config, series: new Map() });
    let list: StoredRow[] | undefined;
    for (const r of out.rows) {
      // Rows come in runs of one series; look the list up only when the series changes.
      if (!list || list[0]!.pointId !== r.pointId || list[0]!.variable !== r.variable) {
        const p = points.get(r.pointId)!;
        list = p.series.get(r.variable);
        if (!list) p.series.set(r.variable, (list = []));
      }
      list.push(r);
      const t = r.ts.getTime();
      if (t >= monthLo && t < monthHi) continue;
      const m = r.ts.getUTCFullYear() * 12 + r.ts.getUTCMonth();
      if (!months.has(m)) months.set(m, r.ts);
      monthLo = Date.UTC(r.ts.getUTCFullYear(), r.ts.getUTCMonth(), 1);
      monthHi = Date.UTC(r.ts.getUTCFullYear(), r.ts.getUTCMonth() + 1, 1);
    }
    rowCount += out.rows.length;
  }
  const rejected = marks.filter((m) => m.status === "rejected").length;
  return { points, marks, months: [...months.values()], rows: rowCount, rejected };
}

/** Stage "begin+locks": per-point advisory locks in id order, so concurrent batches never deadlock. */
export async function lockPoints(tx: pg.PoolClient, points: ReadonlyMap<number, PointWork>): Promise<void> {
  const pointIds = [...points.keys()].sort((a, b) => a - b);
  if (pointIds.length === 0) return;
  await tx.query(`SELECT count(pg_advisory_xact_lock($1, id)) FROM (SELECT unnest($2::int[]) AS id ORDER BY 1) s`, [
    POINT_LOCK_NAMESPACE,
    pointIds,
  ]);
}

/** What stage "load-windows" reads: the stored rows around each incoming series. */
export function windowRequests(points: ReadonlyMap<number, PointWork>): WindowRequest[] {
  const reqs: WindowRequest[] = [];
  for (const p of points.values()) {
    const span = new Map<Variable, { from: number; to: number }>();
    for (const [variable, rows] of p.series) {
      let from = Infinity;
      let to = -Infinity;
      for (const r of rows) {
        const t = r.ts.getTime();
        if (t < from) from = t;
        if (t > to) to = t;
      }
      span.set(variable, { from, to });
    }
    // The totalizer (frozen or stopped?) and the level rules (pumping or stopped?) read the flow around their rows.
    for (const dependent of [span.get("totalizer"), span.get("level"), span.get("water_table")]) {
      if (!dependent) continue;
      const f = span.get("flow") ?? dependent;
      span.set("flow", { from: Math.min(f.from, dependent.from), to: Math.max(f.to, dependent.to) });
    }
    for (const [variable, s] of span)
      reqs.push({ pointId: p.pointId, variable, from: new Date(s.from), to: new Date(s.to) });
  }
  return reqs;
}

export interface Recomputed {
  inserts: StoredRow[];
  conflicts: StoredRow[];
  flagUpdates: FlagUpdate[];
  hourly: HourlyRollup[];
  candidates: AnomalyCandidate[];
  ruleInputs: RuleBatchInput[];
  latest: LatestUpdate[];
}

/**
 * Stage "recompute": merge incoming rows into their windows, re-assess flags, roll up hours, evaluate the built-in
 * anomaly rules (with the point's tuned overrides, issue #20, when it has any).
 */
export function recomputePoints(
  points: ReadonlyMap<number, PointWork>,
  windows: ReadonlyMap<string, LoadedWindow>,
  reprocess: boolean | undefined,
  builtins: ReadonlyMap<number, ResolvedBuiltins> = new Map(),
): Recomputed {
  const out: Recomputed = {
    inserts: [],
    conflicts: [],
    flagUpdates: [],
    hourly: [],
    candidates: [],
    ruleInputs: [],
    latest: [],
  };
  for (const p of points.values()) {
    const values: LatestUpdate["values"] = {};
    let flowContext: readonly SeriesRow[] | undefined;
    for (const variable of ORDER) {
      const w = windows.get(seriesKey(p.pointId, variable));
      const incoming = p.series.get(variable);
      if (!incoming) {
        if (variable === "flow" && w) flowContext = w.rows;
        continue;
      }
      const res: SeriesResult = recomputeSeries(
        p.config,
        { variable, existing: w?.rows ?? [], existingConflicts: w?.conflicts ?? [], incoming, force: reprocess },
        variable === "flow" ? undefined : flowContext,
      );
      if (variable === "flow") flowContext = res.assessed.length ? res.assessed : w?.rows;
      append(out.inserts, res.inserts);
      append(out.conflicts, res.conflicts);
      append(out.flagUpdates, res.flagUpdates);
      append(out.hourly, res.hourly);
      if (res.latest) values[variable] = res.latest;
      if (res.assessed.length === 0) continue;
      const ruleInput = {
        clientId: p.clientId,
        pointId: p.pointId,
        grantedFlowLps: p.config.grantedFlowLps,
        variable,
        rows: res.assessed,
        flow: variable === "water_table" ? flowContext : undefined,
      };
      const tuned = builtins.get(p.pointId);
      append(out.candidates, tuned ? evaluateBuiltins(ruleInput, tuned) : evaluateRules(ruleInput));
      out.ruleInputs.push({ clientId: p.clientId, pointId: p.pointId, variable, rows: res.assessed });
    }
    if (Object.keys(values).length) out.latest.push({ clientId: p.clientId, pointId: p.pointId, values });
  }
  return out;
}

/** Stages "copy", "conflicts+flags" and "rollups": write what recompute decided; returns the rows inserted. */
export async function writeMeasurements(
  tx: pg.PoolClient,
  work: Recomputed,
  writeMode: "direct" | "merge",
  lap: (stage: string) => void,
): Promise<number> {
  const inserted = await mergeMeasurements(tx, work.inserts, writeMode);
  lap("copy");
  await insertConflicts(tx, work.conflicts);
  await updateFlags(tx, work.flagUpdates);
  lap("conflicts+flags");
  await upsertRollups(tx, work.hourly);
  lap("rollups");
  return inserted;
}

/** Stage "anomalies": built-in rules and user-tuned alert rules → anomalies and the notifications to deliver. */
export async function recordAlerts(tx: pg.PoolClient, work: Recomputed): Promise<PendingDelivery[]> {
  const pending = await fanOutNotifications(tx, await recordAnomalies(tx, work.candidates));
  // User-tuned rules (issue #20): episode state lives in alert_rule_state, so batches continue one another.
  append(pending, await evaluateAlertRules(tx, work.ruleInputs));
  return pending;
}

/** Stage "mark+commit" (before COMMIT): one UPDATE per distinct (status, note, code). */
export async function markRaws(tx: pg.PoolClient, marks: readonly RawMark[]): Promise<void> {
  const groups = new Map<string, string[]>();
  for (const m of marks) {
    const k = JSON.stringify([m.status, m.note, m.code]);
    groups.set(k, [...(groups.get(k) ?? []), m.id]);
  }
  for (const [k, ids] of groups) {
    const [status, note, code] = JSON.parse(k) as [RawMark["status"], string | null, string | null];
    await markRawProcessed(tx, ids, status, note ?? undefined, code);
  }
}

export function recordMetrics(inserted: readonly StoredRow[], raws: readonly RawPayloadRow[], now: Date): void {
  const byQuality = new Map<string, number>();
  for (const r of inserted) byQuality.set(r.quality, (byQuality.get(r.quality) ?? 0) + 1);
  for (const [quality, n] of byQuality) metrics.readings.inc({ quality }, n);
  for (const r of raws) metrics.processingLag.observe(Math.max(0, (now.getTime() - r.receivedAt.getTime()) / 1000));
}
