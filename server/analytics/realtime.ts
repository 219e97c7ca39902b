import type pg from "pg";
import type { Redis } from "ioredis";
import { readLatest } from "@/server/realtime/latest";
import { QUALITY, nameOf, type QualityName } from "@/domain/measurements/quality";
import { VARIABLES, VARIABLE_CODE, type Variable } from "@/domain/measurements/types";
import { pointState, type PointState } from "@/domain/analytics/state";
import { UNIT_OF, num, variableOf } from "./sql";

export interface LatestValue {
  variable: Variable;
  unit: string;
  value: number | null;
  ts: Date;
  ageSec: number;
  quality: QualityName;
}
export interface PointRealtime {
  pointId: number;
  name: string;
  clientId: number;
  state: PointState;
  /** Age of the newest reading of any variable (s); null when the point never reported. */
  ageSec: number | null;
  lastTs: Date | null;
  openAnomalies: number;
  grantedFlowLps: number | null;
  values: LatestValue[];
}

interface PointMeta {
  id: number;
  name: string;
  client_id: number;
  expected_interval_min: number;
  granted_flow_lps: number | null;
}
interface LatestRow {
  point_id: number;
  variable: number;
  ts: Date;
  value: number | null;
  quality: number;
}

// Most points report within hours: look a week back first, then a year for the ones still missing.
const LOOKBACKS_DAYS = [7, 400];

async function latestRows(pool: pg.Pool, pointIds: number[], now: Date): Promise<LatestRow[]> {
  const found: LatestRow[] = [];
  let pending = pointIds.flatMap((id) => [1, 2, 3, 4].map((v) => [id, v] as const));
  for (const days of LOOKBACKS_DAYS) {
    if (pending.length === 0) break;
    const { rows } = await pool.query<LatestRow>(
      `SELECT k.point_id, k.variable, m.ts, m.value, m.quality
       FROM unnest($1::int[], $2::smallint[]) AS k(point_id, variable)
       CROSS JOIN LATERAL (SELECT ts, value, quality FROM measurement
                           WHERE point_id = k.point_id AND variable = k.variable AND ts > $3::timestamptz - make_interval(days => $4) AND ts <= $3
                           ORDER BY ts DESC LIMIT 1) m`,
      [pending.map((p) => p[0]), pending.map((p) => p[1]), now, days],
    );
    found.push(...rows);
    const got = new Set(rows.map((r) => `${r.point_id}:${r.variable}`));
    pending = pending.filter(([id, v]) => !got.has(`${id}:${v}`));
  }
  return found;
}

export interface LatestCache {
  redis: Redis;
  prefix: string;
}

/** Latest rows from the processor's Redis cache; points it does not hold (or a Redis failure) fall back to SQL. */
async function latestFromCacheOrSql(pool: pg.Pool, pointIds: number[], clientOf: Map<number, number>, now: Date, cache?: LatestCache): Promise<LatestRow[]> {
  const out: LatestRow[] = [];
  let missing = pointIds;
  if (cache) {
    try {
      const events = await readLatest(cache.redis, cache.prefix, pointIds.map((pointId) => ({ pointId, clientId: clientOf.get(pointId) ?? 0 })));
      const hit = new Set<number>();
      for (const e of events) {
        for (const [key, v] of Object.entries(e.values)) {
          if (!(VARIABLES as readonly string[]).includes(key)) continue;
          out.push({ point_id: e.pointId, variable: VARIABLE_CODE[key as Variable], ts: new Date(v.ts), value: v.value, quality: QUALITY[v.quality] });
          hit.add(e.pointId);
        }
      }
      missing = pointIds.filter((id) => !hit.has(id));
    } catch {
      missing = pointIds;
    }
  }
  if (missing.length) out.push(...(await latestRows(pool, missing, now)));
  return out;
}

/** Latest values, their age and the state of each point (Redis cache when given, else newest SQL row per variable). */
export async function realtimeForPoints(pool: pg.Pool, pointIds: number[], now: Date, cache?: LatestCache): Promise<PointRealtime[]> {
  if (pointIds.length === 0) return [];
  const [meta, anomalies] = await Promise.all([
    pool.query<PointMeta>(`SELECT id, name, client_id, expected_interval_min, granted_flow_lps FROM capture_point WHERE id = ANY($1::int[]) ORDER BY name, id`, [pointIds]),
    pool.query<{ point_id: number; n: string }>(`SELECT point_id, count(*) AS n FROM anomaly WHERE point_id = ANY($1::int[]) AND state = 'open' GROUP BY point_id`, [pointIds]),
  ]);
  const latest = await latestFromCacheOrSql(pool, meta.rows.map((p) => p.id), new Map(meta.rows.map((p) => [p.id, p.client_id])), now, cache);
  const open = new Map(anomalies.rows.map((r) => [r.point_id, Number(r.n)]));
  const byPoint = new Map<number, LatestRow[]>();
  for (const r of latest) (byPoint.get(r.point_id) ?? byPoint.set(r.point_id, []).get(r.point_id)!).push(r);
  return meta.rows.map((p) => {
    const rows = (byPoint.get(p.id) ?? []).sort((a, b) => a.variable - b.variable);
    const values: LatestValue[] = rows.map((r) => {
      const variable = variableOf(r.variable);
      return { variable, unit: UNIT_OF[variable], value: num(r.value), ts: r.ts, ageSec: Math.max(0, Math.round((now.getTime() - r.ts.getTime()) / 1000)), quality: nameOf(r.quality) };
    });
    const lastTs = rows.reduce<Date | null>((m, r) => (!m || r.ts > m ? r.ts : m), null);
    const flow = values.find((v) => v.variable === "flow")?.value ?? null;
    const openAnomalies = open.get(p.id) ?? 0;
    const grantedFlowLps = num(p.granted_flow_lps);
    const s = pointState({ lastTs, now, expectedIntervalMin: p.expected_interval_min, openAnomalies, flowLps: flow, grantedFlowLps });
    return { pointId: p.id, name: p.name, clientId: p.client_id, state: s.state, ageSec: s.ageSec, lastTs, openAnomalies, grantedFlowLps, values };
  });
}

export async function realtimeForClient(pool: pg.Pool, clientId: number, now: Date, cache?: LatestCache): Promise<PointRealtime[]> {
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM capture_point WHERE client_id = $1 AND status <> 'inactive'`, [clientId]);
  return realtimeForPoints(pool, rows.map((r) => r.id), now, cache);
}
