import type pg from "pg";
import { accounted, monthBounds } from "@/server/dga/compliance-read";
import { addToTally, emptyTally, pctOf } from "@/domain/dga/accounting";
import { DEFAULT_STANDARDS, type StandardsConfig } from "@/domain/dga/standards";
import { SANTIAGO, num } from "@/server/analytics/sql";

export interface ClientMonthRow {
  clientId: number;
  name: string;
  points: number;
  /** Extraction of the America/Santiago month (daily rollups), m³. */
  volumeM3: number;
  openAlerts: number;
  /** DGA compliance of the UTC-4 month (sent / due, as compliance.summary); null without the dga module or nothing due. */
  compliancePct: number | null;
  dgaDue: number;
  dgaSent: number;
}

/**
 * One row per client for a month: points, extraction, open alerts (one SQL for every client) and DGA compliance
 * (one accounting pass over every client's slots, the same figures as compliance.summary).
 */
export async function clientsMonthSummary(
  pool: pg.Pool,
  q: { clientIds: readonly number[]; month: string },
  now: Date,
  standards: StandardsConfig = DEFAULT_STANDARDS,
): Promise<ClientMonthRow[]> {
  if (q.clientIds.length === 0) return [];
  const { rows } = await pool.query<{
    clientId: number;
    name: string;
    points: number;
    volumeM3: number | null;
    openAlerts: number;
    dga: boolean;
  }>(
    `WITH m AS (SELECT (($2 || '-01')::timestamp AT TIME ZONE '${SANTIAGO}') AS f,
                       ((($2 || '-01')::timestamp + interval '1 month') AT TIME ZONE '${SANTIAGO}') AS t)
     SELECT c.id AS "clientId", c.name,
       (SELECT count(*) FROM capture_point p WHERE p.client_id = c.id)::int AS points,
       (SELECT sum(d.consumption_m3) FROM measurement_daily d JOIN capture_point p ON p.id = d.point_id, m
         WHERE p.client_id = c.id AND d.variable = 2 AND d.bucket >= m.f AND d.bucket < m.t) AS "volumeM3",
       (SELECT count(*) FROM anomaly a WHERE a.client_id = c.id AND a.state = 'open')::int AS "openAlerts",
       EXISTS (SELECT 1 FROM client_module cm WHERE cm.client_id = c.id AND cm.module = 'dga' AND cm.enabled) AS dga
     FROM client c WHERE c.id = ANY($1::int[]) ORDER BY c.name, c.id`,
    [[...q.clientIds], q.month],
  );
  const dgaIds = rows.filter((r) => r.dga).map((r) => r.clientId);
  const tallies = new Map<number, ReturnType<typeof emptyTally>>();
  if (dgaIds.length) {
    const { from, to } = monthBounds(q.month);
    for (const { point, slots } of await accounted(pool, { clientId: dgaIds }, from, to, now, standards)) {
      const t = tallies.get(point.clientId) ?? emptyTally();
      tallies.set(
        point.clientId,
        addToTally(
          t,
          slots.filter((s) => s.owed),
        ),
      );
    }
  }
  return rows.map((r) => {
    const t = tallies.get(r.clientId);
    return {
      clientId: r.clientId,
      name: r.name,
      points: r.points,
      volumeM3: num(r.volumeM3) ?? 0,
      openAlerts: r.openAlerts,
      compliancePct: t ? pctOf(t.sent, t.due) : null,
      dgaDue: t?.due ?? 0,
      dgaSent: t?.sent ?? 0,
    };
  });
}
