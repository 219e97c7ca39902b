import type pg from "pg";
import {
  buildProfile,
  evaluateBaseline,
  baselineDedupeKey,
  type BaselineFlag,
  type BaselineOptions,
  type BaselineVariable,
} from "@/domain/analytics/baseline";
import { santiagoDay } from "@/domain/analytics/period";

export interface BaselineRun {
  now: Date;
  pointIds?: number[];
  /** Weeks of hourly rollups that form the profile. */
  weeks?: number;
  /** Most recent hours evaluated against it. */
  recentHours?: number;
  options?: Partial<BaselineOptions>;
}

const VARS: { variable: BaselineVariable; code: number }[] = [
  { variable: "flow", code: 1 },
  { variable: "level", code: 3 },
];

/**
 * Evaluates the seasonal baseline for each active point on the recent hours and upserts one Anomaly per
 * point, variable and Santiago day (type baseline_flow / baseline_level). Acknowledged or resolved rows
 * keep their state; their evidence (count, reason, details) is refreshed.
 */
export async function evaluateBaselines(
  pool: pg.Pool,
  run: BaselineRun,
): Promise<{ points: number; flags: number; anomalies: number }> {
  const weeks = run.weeks ?? 6;
  const recentHours = run.recentHours ?? 24;
  const { rows: points } = await pool.query<{ id: number; client_id: number }>(
    `SELECT id, client_id FROM capture_point WHERE status = 'active' AND ($1::int[] IS NULL OR id = ANY($1::int[])) ORDER BY id`,
    [run.pointIds ?? null],
  );
  const recentFrom = new Date(run.now.getTime() - recentHours * 3600_000);
  const trainFrom = new Date(recentFrom.getTime() - weeks * 7 * 86400_000);
  let flags = 0;
  let anomalies = 0;
  for (const p of points) {
    const { rows } = await pool.query<{ variable: number; bucket: Date; avg: number }>(
      `SELECT variable, bucket, avg FROM measurement_hourly WHERE point_id = $1 AND variable IN (1, 3) AND bucket >= $2 AND bucket < $3 AND avg IS NOT NULL ORDER BY bucket`,
      [p.id, trainFrom, run.now],
    );
    for (const { variable, code } of VARS) {
      const series = rows.filter((r) => r.variable === code).map((r) => ({ bucket: r.bucket, value: Number(r.avg) }));
      const training = series.filter((s) => s.bucket < recentFrom);
      const recent = series.filter((s) => s.bucket >= recentFrom);
      if (training.length === 0 || recent.length === 0) continue;
      const found = evaluateBaseline(buildProfile(training), recent, variable, run.options);
      flags += found.length;
      const byDay = new Map<string, BaselineFlag[]>();
      for (const f of found) {
        const day = santiagoDay(f.bucket);
        (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(f);
      }
      for (const [day, dayFlags] of byDay) {
        await upsertAnomaly(pool, p.id, p.client_id, variable, day, dayFlags);
        anomalies++;
      }
    }
  }
  return { points: points.length, flags, anomalies };
}

async function upsertAnomaly(
  pool: pg.Pool,
  pointId: number,
  clientId: number,
  variable: BaselineVariable,
  day: string,
  flags: BaselineFlag[],
): Promise<void> {
  const worst = flags.reduce((a, b) => (Math.abs(b.z) > Math.abs(a.z) ? b : a));
  const severity = flags.some((f) => f.severity === "critical") ? "critical" : "warning";
  const started = flags.reduce((m, f) => (f.bucket < m ? f.bucket : m), flags[0]!.bucket);
  const lastSeen = new Date(flags.reduce((m, f) => Math.max(m, f.bucket.getTime()), 0) + 3600_000);
  const details = {
    day,
    hours: flags.map((f) => ({
      bucket: f.bucket.toISOString(),
      value: f.value,
      median: f.median,
      usualLow: f.usualLow,
      usualHigh: f.usualHigh,
      z: Math.round(f.z * 10) / 10,
      basis: f.basis,
    })),
  };
  await pool.query(
    `INSERT INTO anomaly (client_id, point_id, type, severity, state, reason, dedupe_key, count, details, started_at, last_seen_at)
     VALUES ($1, $2, $3, $4::"Severity", 'open', $5, $6, $7, $8::jsonb, $9, $10)
     ON CONFLICT (dedupe_key) DO UPDATE SET severity = EXCLUDED.severity, reason = EXCLUDED.reason, count = EXCLUDED.count, details = EXCLUDED.details,
       started_at = LEAST(anomaly.started_at, EXCLUDED.started_at), last_seen_at = GREATEST(anomaly.last_seen_at, EXCLUDED.last_seen_at)`,
    [
      clientId,
      pointId,
      `baseline_${variable}`,
      severity,
      worst.reason,
      baselineDedupeKey(pointId, variable, day),
      flags.length,
      JSON.stringify(details),
      started,
      lastSeen,
    ],
  );
}
