import type pg from "pg";
import type { Redis } from "ioredis";
import { parseValueField, readPointFields } from "@/server/realtime/latest";
import { QUALITY, nameOf, type QualityName } from "@/domain/measurements/quality";
import { VARIABLES, VARIABLE_CODE, type Variable } from "@/domain/measurements/types";
import { pointState, type PointState } from "@/domain/analytics/state";
import { UNIT_OF, num, variableOf } from "./sql";
import { isoOf } from "@/server/http/json-dates";

interface LatestValue {
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
  expectedIntervalMin: number;
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

const VALUE_FIELDS = VARIABLES.map((v) => `v:${v}`);

export interface LatestCache {
  redis: Redis;
  prefix: string;
}

/** Latest rows from the processor's Redis cache; points it does not hold (or a Redis failure) fall back to SQL. */
async function latestFromCacheOrSql(
  pool: pg.Pool,
  pointIds: number[],
  now: Date,
  cache?: LatestCache,
): Promise<LatestRow[]> {
  const out: LatestRow[] = [];
  let missing = pointIds;
  if (cache) {
    try {
      const fields = await readPointFields(cache.redis, cache.prefix, pointIds, VALUE_FIELDS);
      missing = [];
      pointIds.forEach((id, i) => {
        let hit = false;
        fields[i]!.forEach((field, k) => {
          if (!field) return;
          const v = parseValueField(field);
          out.push({
            point_id: id,
            variable: VARIABLE_CODE[VARIABLES[k]!],
            ts: new Date(v.tsMs),
            value: v.value,
            quality: QUALITY[v.quality],
          });
          hit = true;
        });
        if (!hit) missing.push(id);
      });
    } catch {
      missing = pointIds;
    }
  }
  if (missing.length) out.push(...(await latestRows(pool, missing, now)));
  return out;
}

type Selection = { pointIds: number[] } | { clientId: number };

/** Points and their open-alert counts, for a list of points or all active points of a client (one round trip each, in parallel). */
function loadMeta(pool: pg.Pool, sel: Selection) {
  const [where, arg] =
    "clientId" in sel
      ? ["client_id = $1 AND status <> 'inactive'", sel.clientId]
      : ["id = ANY($1::int[])", sel.pointIds];
  return Promise.all([
    pool.query<PointMeta>(
      `SELECT id, name, client_id, expected_interval_min, granted_flow_lps FROM capture_point WHERE ${where} ORDER BY name, id`,
      [arg],
    ),
    pool.query<{ point_id: number; n: string }>(
      `SELECT point_id, count(*) AS n FROM anomaly WHERE point_id IN (SELECT id FROM capture_point WHERE ${where}) AND state = 'open' GROUP BY point_id`,
      [arg],
    ),
  ]);
}

async function realtimeOf(pool: pg.Pool, sel: Selection, now: Date, cache?: LatestCache): Promise<PointRealtime[]> {
  const [meta, anomalies] = await loadMeta(pool, sel);
  const latest = await latestFromCacheOrSql(
    pool,
    meta.rows.map((p) => p.id),
    now,
    cache,
  );
  const open = new Map(anomalies.rows.map((r) => [r.point_id, Number(r.n)]));
  const byPoint = new Map<number, LatestRow[]>();
  for (const r of latest) (byPoint.get(r.point_id) ?? byPoint.set(r.point_id, []).get(r.point_id)!).push(r);
  return meta.rows.map((p) => {
    const rows = (byPoint.get(p.id) ?? []).sort((a, b) => a.variable - b.variable);
    const values: LatestValue[] = rows.map((r) => {
      const variable = variableOf(r.variable);
      return {
        variable,
        unit: UNIT_OF[variable],
        value: num(r.value),
        ts: r.ts,
        ageSec: Math.max(0, Math.round((now.getTime() - r.ts.getTime()) / 1000)),
        quality: nameOf(r.quality),
      };
    });
    const lastTs = rows.reduce<Date | null>((m, r) => (!m || r.ts > m ? r.ts : m), null);
    const flow = values.find((v) => v.variable === "flow")?.value ?? null;
    const openAnomalies = open.get(p.id) ?? 0;
    const grantedFlowLps = num(p.granted_flow_lps);
    const s = pointState({
      lastTs,
      now,
      expectedIntervalMin: p.expected_interval_min,
      openAnomalies,
      flowLps: flow,
      grantedFlowLps,
    });
    return {
      pointId: p.id,
      name: p.name,
      clientId: p.client_id,
      state: s.state,
      ageSec: s.ageSec,
      lastTs,
      openAnomalies,
      grantedFlowLps,
      expectedIntervalMin: p.expected_interval_min,
      values,
    };
  });
}

/** Latest values, their age and the state of each point (Redis cache when given, else newest SQL row per variable). */
export async function realtimeForPoints(
  pool: pg.Pool,
  pointIds: number[],
  now: Date,
  cache?: LatestCache,
): Promise<PointRealtime[]> {
  return pointIds.length === 0 ? [] : realtimeOf(pool, { pointIds }, now, cache);
}

/** The same for every active point of a client. */
export async function realtimeForClient(
  pool: pg.Pool,
  clientId: number,
  now: Date,
  cache?: LatestCache,
): Promise<PointRealtime[]> {
  return realtimeOf(pool, { clientId }, now, cache);
}

/** The REST body of realtime points: the same JSON, instants already ISO strings (fast stringify). */
export function realtimeJson(p: PointRealtime): unknown {
  return { ...p, lastTs: isoOf(p.lastTs), values: p.values.map((v) => ({ ...v, ts: isoOf(v.ts) })) };
}
