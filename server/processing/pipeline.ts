import type pg from "pg";
import type { Redis } from "ioredis";
import { ensureMonthPartitions } from "@/server/timeseries/partitions";
import { bumpHistoryVersions } from "@/server/analytics/history-cache";
import { loadWindows } from "@/server/timeseries/window";
import { loadResolvedBuiltins } from "@/server/alert-rules/builtin";
import { resolveAnomalies } from "@/server/anomalies/store";
import type { PendingDelivery } from "@/server/notifications/fanout";
import { publishLatest } from "@/server/realtime/latest";
import { withTransaction } from "@/server/pg";
import type { BindingCache } from "./bindings";
import type { RawPayloadRow } from "@/server/ingest/raw-store";
import { loadRaws } from "./parse";
import {
  lockPoints,
  markRaws,
  parseRaws,
  recomputePoints,
  type ParsedBatch,
  recordAlerts,
  recordMetrics,
  windowRequests,
  writeMeasurements,
} from "./stages";
import { stageTimer } from "./stage-timer";

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

/** Stages 1–2 (load-raws, parse): CPU work outside any transaction, so it can run while another batch commits. */
export interface PreparedBatch {
  rawIds: readonly string[];
  reprocess: boolean;
  now: Date;
  todo: RawPayloadRow[];
  parsed: ParsedBatch | null;
  stats: BatchStats;
}

export async function prepareRawBatch(
  deps: PipelineDeps,
  rawIds: readonly string[],
  opts: { reprocess?: boolean } = {},
): Promise<PreparedBatch> {
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
  const prepared = { rawIds, reprocess: opts.reprocess ?? false, now, todo, parsed: null, stats };
  if (todo.length === 0) return prepared;
  const parsed = await parseRaws(todo, deps.bindings, now);
  stats.rows = parsed.rows;
  stats.rejected = parsed.rejected;
  lap("parse");
  return { ...prepared, parsed };
}

/** Commits a prepared batch; on an unexpected key it redoes the whole batch on the merging path. */
export async function commitPreparedBatch(deps: PipelineDeps, prepared: PreparedBatch): Promise<BatchStats> {
  try {
    return await commitBatch(deps, prepared, "direct");
  } catch (e) {
    if ((e as { code?: string }).code !== "23505") throw e;
    return runBatch(deps, prepared.rawIds, { reprocess: prepared.reprocess }, "merge");
  }
}

async function runBatch(
  deps: PipelineDeps,
  rawIds: readonly string[],
  opts: { reprocess?: boolean },
  writeMode: "direct" | "merge",
): Promise<BatchStats> {
  return commitBatch(deps, await prepareRawBatch(deps, rawIds, opts), writeMode);
}

/** Stages 3–12 in order; each lap() label is a stage of server/processing/stages.ts (bench-ingest prints them). */
async function commitBatch(
  deps: PipelineDeps,
  prepared: PreparedBatch,
  writeMode: "direct" | "merge",
): Promise<BatchStats> {
  const { parsed, stats, now, todo } = prepared;
  if (!parsed) return stats;
  const lap = stageTimer();
  await ensureMonthPartitions(deps.pool, "measurement", parsed.months);

  const { work, pending } = await withTransaction(deps.pool, async (tx) => {
    await lockPoints(tx, parsed.points);
    lap("begin+locks");
    const windows = await loadWindows(tx, windowRequests(parsed.points));
    lap("load-windows");
    const builtins = await loadResolvedBuiltins(tx, [...parsed.points.keys()]);
    const work = recomputePoints(parsed.points, windows, prepared.reprocess, builtins);
    lap("recompute");
    stats.inserted = await writeMeasurements(tx, work, writeMode, lap);
    const pending = await recordAlerts(tx, work);
    lap("anomalies");
    await markRaws(tx, parsed.marks);
    return { work, pending };
  });
  lap("mark+commit");
  recordMetrics(work.inserts, todo, now);
  stats.conflicts = work.conflicts.length;
  stats.flagUpdates = work.flagUpdates.length;
  stats.anomalies = work.candidates.length;

  await publishAfterCommit(deps, work.hourly, work.latest, now);
  lap("realtime");
  if (pending.length && deps.onNotifications) await deps.onNotifications(pending);
  return stats;
}

/** Stage "realtime", after COMMIT so a reader never caches the old rollups under the new version. */
async function publishAfterCommit(
  deps: PipelineDeps,
  hourly: readonly { pointId: number }[],
  latest: Parameters<typeof publishLatest>[2],
  now: Date,
): Promise<void> {
  if (!deps.redis) return;
  const rolledUp = new Set(hourly.map((h) => h.pointId));
  if (rolledUp.size) await bumpHistoryVersions(deps.redis, deps.prefix, rolledUp);
  if (latest.length === 0) return;
  const back = await publishLatest(deps.redis, deps.prefix, latest);
  await resolveAnomalies(deps.pool, "point_offline", back, now);
}
