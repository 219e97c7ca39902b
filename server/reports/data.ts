import type pg from "pg";
import { complianceOfRights } from "@/domain/measurements/consumption";
import { monthLabelEs } from "@/domain/analytics/period";
import { SANTIAGO, num, qualityFromRank, qualityRankSql } from "@/server/analytics/sql";
import type { QualityName } from "@/domain/measurements/quality";
import { accountSlots, addToTally, emptyTally, type Tally } from "@/domain/dga/accounting";
import { DEFAULT_STANDARDS, type DgaStandard } from "@/domain/dga/standards";

/** Receipt rows listed in CSV/XLSX (the PDF shows per-point counts only). */
const MAX_RECEIPT_ROWS = 50_000;

interface PointMonth {
  pointId: number;
  name: string;
  obraCode: string | null;
  grantedFlowLps: number | null;
  annualVolumeM3: number | null;
  volumeM3: number;
  /** Mean of the valid flow readings (while reporting, pump running or not). */
  avgFlowLps: number | null;
  /** The month's volume spread over every hour of the month (what the granted flow is compared with). */
  volumeAvgFlowLps: number | null;
  peakFlowLps: number | null;
  peakAboveGranted: boolean;
  /** Volume-based mean flow as % of the granted flow, and the month's volume as % of the annual volume. */
  pctOfGrantedFlow: number | null;
  pctOfAnnualVolume: number | null;
  levelMinM: number | null;
  levelMaxM: number | null;
  daysWithData: number;
}
/** DGA figures on the standard's calendar since go-live (docs/DGA.md §7): due = sent + failed + pending + review + skipped + missing. */
interface DgaMonth {
  pointId: number;
  name: string;
  due: number;
  sent: number;
  late: number;
  failed: number;
  pending: number;
  review: number;
  skipped: number;
  /** Owed slots without a row: never prepared, never sent. */
  missing: number;
  receipts: number;
}
interface QualityMonth {
  pointId: number;
  name: string;
  hoursExpected: number;
  hoursWithData: number;
  gapHours: number;
  longestGapHours: number;
  excludedReadings: number;
  flaggedHours: number;
  worstQuality: QualityName;
}
export interface MonthlyReportData {
  client: { id: number; name: string; rut: string };
  month: string;
  monthLabel: string;
  from: Date;
  to: Date;
  days: number;
  generatedAt: Date;
  points: PointMonth[];
  totals: {
    volumeM3: number;
    annualVolumeM3: number | null;
    pctOfAnnualVolume: number | null;
    grantedFlowLps: number | null;
  };
  daily: { day: string; volumeM3: number }[];
  dga: DgaMonth[];
  receipts: { pointName: string; slotAt: Date; state: string; receipt: string; sentAt: Date | null }[];
  receiptsTruncated: boolean;
  quality: QualityMonth[];
}

export async function loadMonthlyReport(
  pool: pg.Pool,
  q: { clientId: number; month: string; pointIds?: number[]; now: Date },
  progress: (pct: number) => Promise<void> = async () => {},
): Promise<MonthlyReportData> {
  const {
    rows: [client],
  } = await pool.query<{ id: number; name: string; rut: string }>(`SELECT id, name, rut FROM client WHERE id = $1`, [
    q.clientId,
  ]);
  if (!client) throw new Error(`client ${q.clientId} not found`);
  const {
    rows: [range],
  } = await pool.query<{ from: Date; to: Date; hours: number; days: number }>(
    `SELECT ($1 || '-01')::timestamp AT TIME ZONE '${SANTIAGO}' AS "from", (($1 || '-01')::timestamp + interval '1 month') AT TIME ZONE '${SANTIAGO}' AS "to",
            extract(epoch FROM ((($1 || '-01')::timestamp + interval '1 month') AT TIME ZONE '${SANTIAGO}') - (($1 || '-01')::timestamp AT TIME ZONE '${SANTIAGO}')) / 3600 AS hours,
            extract(day FROM ($1 || '-01')::date + interval '1 month' - interval '1 day') AS days`,
    [q.month],
  );
  const { from, to } = range!;
  const hours = Number(range!.hours);
  const { rows: pts } = await pool.query<{
    id: number;
    name: string;
    obra_code: string | null;
    granted_flow_lps: number | null;
    annual_volume_m3: number | null;
    dga_standard: DgaStandard;
    dga_go_live_at: Date | null;
  }>(
    `SELECT id, name, obra_code, granted_flow_lps, annual_volume_m3, dga_standard::text AS dga_standard, dga_go_live_at FROM capture_point WHERE client_id = $1 AND ($2::int[] IS NULL OR id = ANY($2::int[])) ORDER BY name, id`,
    [q.clientId, q.pointIds?.length ? q.pointIds : null],
  );
  const ids = pts.map((p) => p.id);
  await progress(15);

  const { rows: ext } = await pool.query(
    `SELECT point_id, sum(consumption_m3) FILTER (WHERE variable = 2) AS vol, max(max) FILTER (WHERE variable = 1) AS peak,
            sum(avg * count) FILTER (WHERE variable = 1 AND avg IS NOT NULL) / nullif(sum(count) FILTER (WHERE variable = 1 AND avg IS NOT NULL), 0) AS avg_flow,
            min(min) FILTER (WHERE variable = 3) AS lmin, max(max) FILTER (WHERE variable = 3) AS lmax,
            count(DISTINCT bucket) FILTER (WHERE count > 0) AS days, sum(excluded) AS excluded
     FROM measurement_daily WHERE point_id = ANY($1::int[]) AND bucket >= $2 AND bucket < $3 GROUP BY point_id`,
    [ids, from, to],
  );
  const extBy = new Map(ext.map((r) => [r.point_id as number, r]));
  const { rows: daily } = await pool.query<{ day: string; vol: number | null }>(
    `SELECT to_char(bucket AT TIME ZONE '${SANTIAGO}', 'YYYY-MM-DD') AS day, sum(consumption_m3) AS vol
     FROM measurement_daily WHERE point_id = ANY($1::int[]) AND variable = 2 AND bucket >= $2 AND bucket < $3 GROUP BY 1 ORDER BY 1`,
    [ids, from, to],
  );
  await progress(30);

  const { rows: dgaRows } = await pool.query<{
    pointId: number;
    slotAt: Date;
    state: string;
    reasons: string[] | null;
    sentAt: Date | null;
    receipt: string | null;
  }>(
    `SELECT point_id AS "pointId", slot_at AS "slotAt", state::text AS state, reasons, sent_at AS "sentAt", receipt
     FROM dga_slot WHERE point_id = ANY($1::int[]) AND slot_at >= $2 AND slot_at < $3`,
    [ids, from, to],
  );
  const rowsBy = new Map<number, typeof dgaRows>();
  for (const r of dgaRows) {
    const list = rowsBy.get(r.pointId);
    if (list) list.push(r);
    else rowsBy.set(r.pointId, [r]);
  }
  const dgaBy = new Map<number, Tally & { receipts: number }>();
  for (const p of pts) {
    const slots = accountSlots({
      rule: DEFAULT_STANDARDS[p.dga_standard],
      goLiveAt: p.dga_go_live_at,
      from,
      to,
      now: q.now,
      rows: rowsBy.get(p.id) ?? [],
    });
    dgaBy.set(p.id, {
      ...addToTally(emptyTally(), slots),
      receipts: slots.filter((x) => x.owed && x.row?.receipt).length,
    });
  }
  const { rows: receipts } = await pool.query<{
    name: string;
    slot_at: Date;
    state: string;
    receipt: string;
    sent_at: Date | null;
  }>(
    `SELECT p.name, s.slot_at, s.state::text AS state, s.receipt, s.sent_at FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE s.point_id = ANY($1::int[]) AND s.slot_at >= $2 AND s.slot_at < $3 AND s.receipt IS NOT NULL ORDER BY p.name, s.slot_at LIMIT ${MAX_RECEIPT_ROWS + 1}`,
    [ids, from, to],
  );
  await progress(45);

  const until = to < q.now ? to : q.now;
  const { rows: qual } = await pool.query(
    `SELECT point_id, count(*) AS hours, count(*) FILTER (WHERE r % 100 <> 0) AS flagged, max(r) AS worst, min(bucket) AS first, max(bucket) AS last,
            coalesce(max(gap), 0) AS longest_inner
     FROM (SELECT point_id, bucket, r, extract(epoch FROM bucket - lag(bucket) OVER (PARTITION BY point_id ORDER BY bucket)) / 3600 - 1 AS gap
           FROM (SELECT point_id, bucket, max(${qualityRankSql("worst_quality")}) AS r FROM measurement_hourly
                 WHERE point_id = ANY($1::int[]) AND bucket >= $2 AND bucket < $3 GROUP BY point_id, bucket) h) g
     GROUP BY point_id`,
    [ids, from, until],
  );
  const qualBy = new Map(qual.map((r) => [r.point_id as number, r]));
  await progress(55);

  const expected = Math.max(0, Math.floor((until.getTime() - from.getTime()) / 3600_000));
  const points: PointMonth[] = pts.map((p) => {
    const e = extBy.get(p.id);
    const volumeM3 = num(e?.vol) ?? 0;
    const granted = num(p.granted_flow_lps);
    const peak = num(e?.peak);
    const c = complianceOfRights({
      volumeM3,
      periodHours: hours,
      grantedFlowLps: granted,
      annualVolumeM3: num(p.annual_volume_m3),
    });
    return {
      pointId: p.id,
      name: p.name,
      obraCode: p.obra_code,
      grantedFlowLps: granted,
      annualVolumeM3: num(p.annual_volume_m3),
      volumeM3,
      avgFlowLps: num(e?.avg_flow),
      volumeAvgFlowLps: c.avgFlowLps,
      peakFlowLps: peak,
      peakAboveGranted: granted != null && peak != null && peak > granted,
      pctOfGrantedFlow: c.pctOfGrantedFlow,
      pctOfAnnualVolume: c.pctOfAnnualVolume,
      levelMinM: num(e?.lmin),
      levelMaxM: num(e?.lmax),
      daysWithData: Number(e?.days ?? 0),
    };
  });
  const volumeM3 = points.reduce((s, p) => s + p.volumeM3, 0);
  const annual = points.reduce((s, p) => s + (p.annualVolumeM3 ?? 0), 0) || null;
  const grantedFlow = points.reduce((s, p) => s + (p.grantedFlowLps ?? 0), 0) || null;
  return {
    client,
    month: q.month,
    monthLabel: monthLabelEs(q.month),
    from,
    to,
    days: Number(range!.days),
    generatedAt: q.now,
    points,
    totals: {
      volumeM3,
      annualVolumeM3: annual,
      pctOfAnnualVolume: annual ? (volumeM3 / annual) * 100 : null,
      grantedFlowLps: grantedFlow,
    },
    daily: daily.map((d) => ({ day: d.day, volumeM3: num(d.vol) ?? 0 })),
    dga: pts.map((p) => {
      const d = dgaBy.get(p.id) ?? { ...emptyTally(), receipts: 0 };
      return {
        pointId: p.id,
        name: p.name,
        due: d.due,
        sent: d.sent,
        late: d.late,
        failed: d.failed,
        pending: d.pending,
        review: d.review,
        skipped: d.skipped,
        missing: d.missing,
        receipts: d.receipts,
      };
    }),
    receipts: receipts
      .slice(0, MAX_RECEIPT_ROWS)
      .map((r) => ({ pointName: r.name, slotAt: r.slot_at, state: r.state, receipt: r.receipt, sentAt: r.sent_at })),
    receiptsTruncated: receipts.length > MAX_RECEIPT_ROWS,
    quality: pts.map((p) => {
      const r = qualBy.get(p.id);
      const withData = Number(r?.hours ?? 0);
      const first = r?.first as Date | undefined;
      const last = r?.last as Date | undefined;
      const edge =
        first && last
          ? Math.max((first.getTime() - from.getTime()) / 3600_000, (until.getTime() - last.getTime()) / 3600_000 - 1)
          : expected;
      return {
        pointId: p.id,
        name: p.name,
        hoursExpected: expected,
        hoursWithData: withData,
        gapHours: Math.max(0, expected - withData),
        longestGapHours: Math.max(0, Math.round(Math.max(Number(r?.longest_inner ?? 0), edge))),
        excludedReadings: Number(extBy.get(p.id)?.excluded ?? 0),
        flaggedHours: Number(r?.flagged ?? 0),
        worstQuality: qualityFromRank(r ? Number(r.worst) : null),
      };
    }),
  };
}
