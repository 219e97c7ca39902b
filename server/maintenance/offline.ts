import type pg from "pg";
import type { Redis } from "ioredis";
import type { AnomalyCandidate } from "@/domain/anomalies/rules";
import { recordAnomalies, resolveAnomalies } from "@/server/anomalies/store";
import { fanOutNotifications, type PendingDelivery } from "@/server/notifications/fanout";
import { readSeen, setPointStatus } from "@/server/realtime/latest";
import { withTransaction } from "@/server/pg";

import { isOffline } from "@/domain/anomalies/offline";

export interface OfflineSweepResult {
  offline: number[];
  backOnline: number[];
  pending: PendingDelivery[];
}

/**
 * Compares each active, bound point's newest measurement (realtime cache, else the hourly rollups)
 * with its expected interval. New outages get a point_offline anomaly (one per outage: keyed by the
 * last reading) and a status event; points reporting again are set online and their anomaly resolved.
 */
export async function sweepOffline(
  pool: pg.Pool,
  redis: Redis,
  prefix: string,
  now: Date,
): Promise<OfflineSweepResult> {
  const pts = await pool.query<{ id: number; client_id: number; expected_interval_min: number; name: string }>(
    `SELECT p.id, p.client_id, p.expected_interval_min, p.name FROM capture_point p
     WHERE p.status = 'active' AND EXISTS (SELECT 1 FROM point_binding b WHERE b.point_id = p.id AND b.active)`,
  );
  const seen = await readSeen(
    redis,
    prefix,
    pts.rows.map((p) => p.id),
  );
  const unknown = pts.rows.filter((p) => seen.get(p.id)?.seenMs == null).map((p) => p.id);
  if (unknown.length) {
    const r = await pool.query<{ point_id: number; last: Date }>(
      `SELECT point_id, max(bucket) + interval '1 hour' AS last FROM measurement_hourly WHERE point_id = ANY($1::int[]) AND count + excluded > 0 GROUP BY point_id`,
      [unknown],
    );
    for (const row of r.rows)
      seen.set(row.point_id, { seenMs: Math.min(row.last.getTime(), now.getTime()), status: null });
  }
  const offline: { clientId: number; pointId: number }[] = [];
  const online: { clientId: number; pointId: number }[] = [];
  const candidates: AnomalyCandidate[] = [];
  for (const p of pts.rows) {
    const s = seen.get(p.id);
    if (!s || s.seenMs === null) continue;
    if (isOffline(s.seenMs, now.getTime(), p.expected_interval_min)) {
      offline.push({ clientId: p.client_id, pointId: p.id });
      const last = new Date(s.seenMs);
      candidates.push({
        type: "point_offline",
        severity: "warning",
        clientId: p.client_id,
        pointId: p.id,
        variable: "point",
        firstTs: last,
        lastTs: last,
        count: 1,
        reason: `Sin datos desde ${last.toISOString()} (esperado cada ${p.expected_interval_min} min)`,
        details: { variable: "point", lastSeenAt: last.toISOString() },
      });
    } else if (s.status === "offline") online.push({ clientId: p.client_id, pointId: p.id });
  }
  const pending = await withTransaction(pool, async (tx) =>
    fanOutNotifications(tx, await recordAnomalies(tx, candidates)),
  );
  const newlyOffline = await setPointStatus(redis, prefix, offline, "offline");
  const backOnline = await setPointStatus(redis, prefix, online, "online");
  await resolveAnomalies(pool, "point_offline", backOnline, now);
  return { offline: newlyOffline, backOnline, pending };
}
