import type pg from "pg";
import { triageWell, type DgaTrouble, type OpenAnomaly } from "@/domain/analytics/triage";
import { dgaTroubleByPoint } from "@/server/dga/compliance-matrix";
import { realtimeForClient, type LatestCache } from "./realtime";

/**
 * Each active point of a client with what needs attention and why (domain/analytics/triage), most
 * urgent first: state from the latest values, open anomalies by type, and this DGA month's holes.
 */
export async function clientTriage(
  pool: pg.Pool,
  q: { clientId: number; dgaMonth: string | null },
  now: Date,
  cache?: LatestCache,
) {
  const [rt, anomalies, dga] = await Promise.all([
    realtimeForClient(pool, q.clientId, now, cache),
    pool.query<{ point_id: number; type: string; severity: OpenAnomaly["severity"]; started_at: Date; reason: string }>(
      `SELECT point_id, type, severity::text AS severity, started_at, reason FROM anomaly
       WHERE client_id = $1 AND state = 'open' ORDER BY started_at`,
      [q.clientId],
    ),
    q.dgaMonth
      ? dgaTroubleByPoint(pool, { clientId: q.clientId, month: q.dgaMonth }, now)
      : new Map<number, DgaTrouble>(),
  ]);
  const open = new Map<number, OpenAnomaly[]>();
  for (const a of anomalies.rows)
    (open.get(a.point_id) ?? open.set(a.point_id, []).get(a.point_id)!).push({
      type: a.type,
      severity: a.severity,
      startedAt: a.started_at,
      reason: a.reason,
    });
  const wells = rt.map((p) => {
    const t = triageWell({
      now,
      lastTs: p.lastTs,
      expectedIntervalMin: p.expectedIntervalMin,
      openAnomalies: open.get(p.pointId) ?? [],
      flowLps: p.values.find((v) => v.variable === "flow")?.value ?? null,
      grantedFlowLps: p.grantedFlowLps,
      dga: dga.get(p.pointId) ?? null,
    });
    return { pointId: p.pointId, name: p.name, clientId: p.clientId, lastTs: p.lastTs, ...t };
  });
  wells.sort((a, b) => b.urgency - a.urgency || a.name.localeCompare(b.name, "es"));
  return { clientId: q.clientId, at: now, wells };
}
