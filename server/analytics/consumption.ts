import type pg from "pg";
import { complianceOfRights, type RightsCompliance } from "@/domain/measurements/consumption";
import { POINT_STATES, type PointState } from "@/domain/analytics/state";
import { realtimeForClient, type LatestCache } from "./realtime";
import { SANTIAGO, num } from "./sql";

const startOf = (unit: "day" | "month" | "year", at: string) =>
  `(date_trunc('${unit}', ${at} AT TIME ZONE '${SANTIAGO}') AT TIME ZONE '${SANTIAGO}')`;

export interface ClientOverview {
  clientId: number;
  points: number;
  pointsByState: Record<PointState, number>;
  todayM3: number;
  monthM3: number;
  yearM3: number;
  grantedAnnualM3: number | null;
  /** Year-to-date extraction as a percentage of the summed annual granted volume. */
  pctOfAnnualYtd: number | null;
  openAlerts: number;
  at: Date;
}

/** Portal overview of one client; extraction totals are America/Santiago day, month and year to date. */
export async function clientOverview(
  pool: pg.Pool,
  clientId: number,
  now: Date,
  cache?: LatestCache,
): Promise<ClientOverview> {
  const [rt, vol, rights, alerts] = await Promise.all([
    realtimeForClient(pool, clientId, now, cache),
    pool.query<{ today: number | null; month: number | null; year: number | null }>(
      `SELECT sum(consumption_m3) FILTER (WHERE bucket >= ${startOf("day", "$2::timestamptz")}) AS today,
              sum(consumption_m3) FILTER (WHERE bucket >= ${startOf("month", "$2::timestamptz")}) AS month,
              sum(consumption_m3) AS year
       FROM measurement_daily WHERE variable = 2 AND bucket >= ${startOf("year", "$2::timestamptz")} AND bucket <= $2
         AND point_id IN (SELECT id FROM capture_point WHERE client_id = $1)`,
      [clientId, now],
    ),
    pool.query<{ annual: number | null }>(
      `SELECT sum(annual_volume_m3) AS annual FROM capture_point WHERE client_id = $1 AND status <> 'inactive'`,
      [clientId],
    ),
    pool.query<{ n: string }>(`SELECT count(*) AS n FROM anomaly WHERE client_id = $1 AND state = 'open'`, [clientId]),
  ]);
  const pointsByState = Object.fromEntries(POINT_STATES.map((s) => [s, 0])) as Record<PointState, number>;
  for (const p of rt) pointsByState[p.state]++;
  const v = vol.rows[0];
  const yearM3 = num(v?.year) ?? 0;
  const grantedAnnualM3 = num(rights.rows[0]?.annual);
  return {
    clientId,
    points: rt.length,
    pointsByState,
    todayM3: num(v?.today) ?? 0,
    monthM3: num(v?.month) ?? 0,
    yearM3,
    grantedAnnualM3,
    pctOfAnnualYtd: grantedAnnualM3 ? (yearM3 / grantedAnnualM3) * 100 : null,
    openAlerts: Number(alerts.rows[0]?.n ?? 0),
    at: now,
  };
}

interface ConsumptionPeriod extends RightsCompliance {
  period: Date;
  volumeM3: number;
  /** Highest trusted flow reading in the period (L/s). */
  peakFlowLps: number | null;
  peakAboveGranted: boolean;
}
interface PointConsumption {
  pointId: number;
  name: string;
  grantedFlowLps: number | null;
  annualVolumeM3: number | null;
  totalM3: number;
  periods: ConsumptionPeriod[];
}
export interface ConsumptionResult {
  clientId: number;
  granularity: "day" | "month";
  from: Date;
  to: Date;
  points: PointConsumption[];
  /** Client totals per period (rights summed over the points). */
  totals: ConsumptionPeriod[];
}

interface Row {
  point_id: number;
  period: Date;
  hours: number;
  volume: number | null;
  peak: number | null;
}

/** Extraction per point and client per Santiago day or month, compared with granted flow and annual volume. */
export async function consumption(
  pool: pg.Pool,
  q: { clientId: number; pointId?: number; from: Date; to: Date; granularity: "day" | "month" },
): Promise<ConsumptionResult> {
  const { rows: points } = await pool.query<{
    id: number;
    name: string;
    granted_flow_lps: number | null;
    annual_volume_m3: number | null;
  }>(
    `SELECT id, name, granted_flow_lps, annual_volume_m3 FROM capture_point WHERE client_id = $1 AND ($2::int IS NULL OR id = $2) ORDER BY name, id`,
    [q.clientId, q.pointId ?? null],
  );
  const g = q.granularity;
  const { rows } = await pool.query<Row>(
    `SELECT point_id, ${startOf(g, "bucket")} AS period,
            extract(epoch FROM ((date_trunc('${g}', bucket AT TIME ZONE '${SANTIAGO}') + interval '1 ${g}') AT TIME ZONE '${SANTIAGO}') - ${startOf(g, "bucket")}) / 3600 AS hours,
            sum(consumption_m3) FILTER (WHERE variable = 2) AS volume, max(max) FILTER (WHERE variable = 1) AS peak
     FROM measurement_daily WHERE point_id = ANY($1::int[]) AND variable IN (1, 2) AND bucket >= ${startOf(g, "$2::timestamptz")} AND bucket < $3
     GROUP BY point_id, 2, 3 ORDER BY point_id, 2`,
    [points.map((p) => p.id), q.from, q.to],
  );
  const byPoint = new Map<number, Row[]>();
  for (const r of rows) (byPoint.get(r.point_id) ?? byPoint.set(r.point_id, []).get(r.point_id)!).push(r);
  const totals = new Map<number, { period: Date; hours: number; volume: number; peak: number | null }>();
  const out = points.map((p) => {
    const granted = num(p.granted_flow_lps);
    const annual = num(p.annual_volume_m3);
    const periods = (byPoint.get(p.id) ?? []).map((r) => {
      const volumeM3 = num(r.volume) ?? 0;
      const peak = num(r.peak);
      const t = totals.get(r.period.getTime()) ?? { period: r.period, hours: Number(r.hours), volume: 0, peak: null };
      t.volume += volumeM3;
      totals.set(r.period.getTime(), t);
      return {
        period: r.period,
        volumeM3,
        peakFlowLps: peak,
        peakAboveGranted: granted != null && peak != null && peak > granted,
        ...complianceOfRights({
          volumeM3,
          periodHours: Number(r.hours),
          grantedFlowLps: granted,
          annualVolumeM3: annual,
        }),
      };
    });
    return {
      pointId: p.id,
      name: p.name,
      grantedFlowLps: granted,
      annualVolumeM3: annual,
      totalM3: periods.reduce((s, x) => s + x.volumeM3, 0),
      periods,
    };
  });
  const grantedSum = points.reduce((s, p) => s + (num(p.granted_flow_lps) ?? 0), 0) || null;
  const annualSum = points.reduce((s, p) => s + (num(p.annual_volume_m3) ?? 0), 0) || null;
  return {
    clientId: q.clientId,
    granularity: g,
    from: q.from,
    to: q.to,
    points: out,
    totals: [...totals.values()]
      .sort((a, b) => a.period.getTime() - b.period.getTime())
      .map((t) => ({
        period: t.period,
        volumeM3: t.volume,
        peakFlowLps: null,
        peakAboveGranted: false,
        ...complianceOfRights({
          volumeM3: t.volume,
          periodHours: t.hours,
          grantedFlowLps: grantedSum,
          annualVolumeM3: annualSum,
        }),
      })),
  };
}
