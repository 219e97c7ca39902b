import type pg from "pg";
import type { Redis } from "ioredis";
import type { SeriesRow } from "@/domain/measurements/assess";
import type { Variable } from "@/domain/measurements/types";
import { markRawProcessed } from "@/server/ingest/raw-store";
import { ensureMonthPartitions } from "@/server/timeseries/partitions";
import { recomputeSeries, type PointConfig, type SeriesResult } from "@/server/timeseries/recompute";
import { bumpHistoryVersions } from "@/server/analytics/history-cache";
import { insertConflicts, mergeMeasurements, updateFlags, upsertRollups } from "@/server/timeseries/store";
import { seriesKey, type FlagUpdate, type HourlyRollup, type StoredRow } from "@/server/timeseries/types";
import { loadWindows, type WindowRequest } from "@/server/timeseries/window";
import { evaluateRules, type AnomalyCandidate } from "@/domain/anomalies/rules";
import { recordAnomalies, resolveAnomalies } from "@/server/anomalies/store";
import { fanOutNotifications, type PendingDelivery } from "@/server/notifications/fanout";
import { evaluateAlertRules, type RuleBatchInput } from "@/server/alert-rules/evaluate";
import { applyBuiltinOverrides } from "@/server/alert-rules/builtin";
import { publishLatest, type LatestUpdate } from "@/server/realtime/latest";
import type { BindingCache } from "./bindings";
import { loadRaws, rawToRows } from "./parse";
import { stageTimer } from "./stage-timer";
import { metrics } from "@/server/metrics/registry";
import type { RawPayloadRow } from "@/server/ingest/raw-store";

function recordMetrics(inserted: readonly StoredRow[], raws: readonly RawPayloadRow[], now: Date): void {
  const byQuality = new Map<string, number>();
  for (const r of inserted) byQuality.set(r.quality, (byQuality.get(r.quality) ?? 0) + 1);
  for (const [quality, n] of byQuality) metrics.readings.inc({ quality }, n);
  for (const r of raws) metrics.processingLag.observe(Math.max(0, (now.getTime() - r.receivedAt.getTime()) / 1000));
}

/** Namespace of the per-point advisory locks (first key of the two-int form). */
export const POINT_LOCK_NAMESPACE = 0x5348;
/** Flow first: the totalizer assessment uses the assessed flow to tell a frozen register from a stopped pump. */
const ORDER: Variable[] = ["flow", "totalizer", "level", "water_table"];

export interface PipelineDeps {
  pool: pg.Pool;
  redis: Redis | null;
  prefix: string;
  bindings: BindingCache;
  now?: () => Date;
  onNotifications?: (pending: PendingDelivery[]) => Promise<void>;
}

export interface BatchStats {
  raws: number;
  skipped: number;
  rejected: number;
  rows: number;
  inserted: number;
  conflicts: number;
  flagUpdates: number;
  anomalies: number;
}

interface PointWork {
  pointId: number;
  clientId: number;
  config: PointConfig;
  series: Map<Variable, StoredRow[]>;
}

function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

function windowRequests(points: Map<number, PointWork>): WindowRequest[] {
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

/**
 * Processes raw payloads by id: parse, map to points, normalise, then in ONE transaction per batch —
 * under per-point advisory locks taken in id order — merge rows, recompute flags of the affected
 * windows, upsert rollups, record anomalies and notifications and mark the payloads. Everything a
 * crash could leave half-done is inside that transaction, so re-running a job gives the same state.
 * Realtime publication and notification delivery happen after commit (at-least-once, idempotent).
 */
export async function processRawBatch(
  deps: PipelineDeps,
  rawIds: readonly string[],
  opts: { reprocess?: boolean } = {},
): Promise<BatchStats> {
  try {
    return await runBatch(deps, rawIds, opts, "direct");
  } catch (e) {
    // Direct COPY met a key it did not expect (a writer outside the point locks): redo with the merging path.
    if ((e as { code?: string }).code !== "23505") throw e;
    return runBatch(deps, rawIds, opts, "merge");
  }
}

async function runBatch(
  deps: PipelineDeps,
  rawIds: readonly string[],
  opts: { reprocess?: boolean },
  writeMode: "direct" | "merge",
): Promise<BatchStats> {
  const now = deps.now?.() ?? new Date();
  const lap = stageTimer();
  const raws = await loadRaws(deps.pool, rawIds);
  lap("load-raws");
  const todo = opts.reprocess ? raws : raws.filter((r) => r.status === "accepted");
  const stats: BatchStats = {
    raws: raws.length,
    skipped: raws.length - todo.length,
    rejected: 0,
    rows: 0,
    inserted: 0,
    conflicts: 0,
    flagUpdates: 0,
    anomalies: 0,
  };
  if (todo.length === 0) return stats;

  const points = new Map<number, PointWork>();
  const marks: { id: string; status: "processed" | "rejected"; note: string | null; code: string | null }[] = [];
  const months = new Map<number, Date>();
  let monthLo = Infinity;
  let monthHi = -Infinity;
  for (const raw of todo) {
    const out = await rawToRows(raw, deps.bindings, now);
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
    stats.rows += out.rows.length;
  }
  stats.rejected = marks.filter((m) => m.status === "rejected").length;
  lap("parse");
  await ensureMonthPartitions(deps.pool, "measurement", months.values());

  const db = await deps.pool.connect();
  const latest: LatestUpdate[] = [];
  const rolledUp = new Set<number>();
  let pending: PendingDelivery[] = [];
  try {
    await db.query("BEGIN");
    const pointIds = [...points.keys()].sort((a, b) => a - b);
    if (pointIds.length) {
      await db.query(`SELECT count(pg_advisory_xact_lock($1, id)) FROM (SELECT unnest($2::int[]) AS id ORDER BY 1) s`, [
        POINT_LOCK_NAMESPACE,
        pointIds,
      ]);
    }
    lap("begin+locks");
    const windows = await loadWindows(db, windowRequests(points));
    lap("load-windows");
    const inserts: StoredRow[] = [];
    const conflicts: StoredRow[] = [];
    const flagUpdates: FlagUpdate[] = [];
    const hourly: HourlyRollup[] = [];
    const candidates: AnomalyCandidate[] = [];
    const ruleInputs: RuleBatchInput[] = [];
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
          { variable, existing: w?.rows ?? [], existingConflicts: w?.conflicts ?? [], incoming, force: opts.reprocess },
          variable === "flow" ? undefined : flowContext,
        );
        if (variable === "flow") flowContext = res.assessed.length ? res.assessed : w?.rows;
        append(inserts, res.inserts);
        append(conflicts, res.conflicts);
        append(flagUpdates, res.flagUpdates);
        append(hourly, res.hourly);
        if (res.latest) values[variable] = res.latest;
        if (res.assessed.length) {
          const flow = variable === "water_table" ? flowContext : undefined;
          append(
            candidates,
            evaluateRules({
              clientId: p.clientId,
              pointId: p.pointId,
              grantedFlowLps: p.config.grantedFlowLps,
              variable,
              rows: res.assessed,
              flow,
            }),
          );
        }
        if (res.assessed.length)
          ruleInputs.push({ clientId: p.clientId, pointId: p.pointId, variable, rows: res.assessed });
      }
      if (Object.keys(values).length) latest.push({ clientId: p.clientId, pointId: p.pointId, values });
    }
    lap("recompute");
    stats.inserted = await mergeMeasurements(db, inserts, writeMode);
    lap("copy");
    await insertConflicts(db, conflicts);
    await updateFlags(db, flagUpdates);
    lap("conflicts+flags");
    await upsertRollups(db, hourly);
    for (const h of hourly) rolledUp.add(h.pointId);
    lap("rollups");
    const created = await recordAnomalies(db, await applyBuiltinOverrides(db, candidates, ruleInputs));
    pending = await fanOutNotifications(db, created);
    // User-tuned rules (issue #20): episode state lives in alert_rule_state, so batches continue one another.
    append(pending, await evaluateAlertRules(db, ruleInputs));
    lap("anomalies");
    const groups = new Map<string, string[]>();
    for (const m of marks) {
      const k = JSON.stringify([m.status, m.note, m.code]);
      groups.set(k, [...(groups.get(k) ?? []), m.id]);
    }
    for (const [k, ids] of groups) {
      const [status, note, code] = JSON.parse(k) as ["processed" | "rejected", string | null, string | null];
      await markRawProcessed(db, ids, status, note ?? undefined, code);
    }
    await db.query("COMMIT");
    lap("mark+commit");
    recordMetrics(inserts, todo, now);
    stats.conflicts = conflicts.length;
    stats.flagUpdates = flagUpdates.length;
    stats.anomalies = candidates.length;
  } catch (e) {
    await db.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    db.release();
  }

  // After COMMIT, so a reader never caches the old rollups under the new version.
  if (deps.redis && rolledUp.size) await bumpHistoryVersions(deps.redis, deps.prefix, rolledUp);
  if (deps.redis && latest.length) {
    const back = await publishLatest(deps.redis, deps.prefix, latest);
    await resolveAnomalies(deps.pool, "point_offline", back, now);
    lap("realtime");
  }
  if (pending.length && deps.onNotifications) await deps.onNotifications(pending);
  return stats;
}
