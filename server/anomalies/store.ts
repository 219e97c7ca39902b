import type pg from "pg";
import type { AnomalyCandidate, AnomalyType } from "./rules";

export interface CreatedAnomaly extends AnomalyCandidate {
  id: number;
  dedupeKey: string;
}

const openKey = (type: string, pointId: number, variable: string) => `${type}|${pointId}|${variable}`;

/**
 * Groups candidates into open anomalies: an open anomaly of the same point, type and variable gets
 * count += n and lastSeenAt moved forward; only a candidate newer than lastSeenAt counts, so a job that
 * runs twice changes nothing. Otherwise a new anomaly is created (dedupe_key makes that idempotent too).
 */
export async function recordAnomalies(
  db: pg.PoolClient | pg.Pool,
  candidates: readonly AnomalyCandidate[],
): Promise<CreatedAnomaly[]> {
  if (candidates.length === 0) return [];
  const open = await db.query<{
    id: number;
    type: string;
    point_id: number;
    variable: string | null;
    last_seen_at: Date;
  }>(
    `SELECT id, type, point_id, details->>'variable' AS variable, last_seen_at FROM anomaly
     WHERE state <> 'resolved' AND point_id = ANY($1::int[]) AND type = ANY($2::text[])`,
    [[...new Set(candidates.map((c) => c.pointId))], [...new Set(candidates.map((c) => c.type))]],
  );
  const byKey = new Map(open.rows.map((r) => [openKey(r.type, r.point_id, r.variable ?? "point"), r]));
  const created: CreatedAnomaly[] = [];
  for (const c of candidates) {
    const cur = byKey.get(openKey(c.type, c.pointId, c.variable));
    if (cur) {
      if (c.lastTs.getTime() <= cur.last_seen_at.getTime()) continue;
      await db.query(
        `UPDATE anomaly SET count = count + $2, last_seen_at = $3, reason = $4, severity = greatest(severity, $5::"Severity") WHERE id = $1`,
        [cur.id, c.count, c.lastTs, c.reason, c.severity],
      );
      cur.last_seen_at = c.lastTs;
      continue;
    }
    const dedupeKey = `${c.type}:${c.pointId}:${c.variable}:${c.firstTs.toISOString()}`;
    const r = await db.query<{ id: number }>(
      `INSERT INTO anomaly (client_id, point_id, type, severity, reason, dedupe_key, count, details, started_at, last_seen_at)
       VALUES ($1, $2, $3, $4::"Severity", $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        c.clientId,
        c.pointId,
        c.type,
        c.severity,
        c.reason,
        dedupeKey,
        c.count,
        JSON.stringify(c.details),
        c.firstTs,
        c.lastTs,
      ],
    );
    const id = r.rows[0]?.id;
    if (id !== undefined) {
      created.push({ ...c, id, dedupeKey });
      byKey.set(openKey(c.type, c.pointId, c.variable), {
        id,
        type: c.type,
        point_id: c.pointId,
        variable: c.variable,
        last_seen_at: c.lastTs,
      });
    }
  }
  return created;
}

/** Resolves open anomalies of a type for the given points (e.g. point_offline when data come back). */
export async function resolveAnomalies(
  db: pg.PoolClient | pg.Pool,
  type: AnomalyType,
  pointIds: readonly number[],
  at: Date,
): Promise<number> {
  if (pointIds.length === 0) return 0;
  const r = await db.query(
    `UPDATE anomaly SET state = 'resolved', resolved_at = $3 WHERE type = $1 AND point_id = ANY($2::int[]) AND state <> 'resolved'`,
    [type, pointIds, at],
  );
  return r.rowCount ?? 0;
}
