import type pg from "pg";
import { previousSantiagoMonth } from "@/domain/analytics/period";

/** Santiago months (YYYY-MM, newest first) in which any of the client's points has a daily rollup, over ~2 years. */
export async function monthsWithData(pool: pg.Pool, clientId: number, now: Date): Promise<string[]> {
  const r = await pool.query<{ month: string }>(
    `SELECT DISTINCT to_char(bucket AT TIME ZONE 'America/Santiago', 'YYYY-MM') AS month
     FROM measurement_daily
     WHERE point_id IN (SELECT id FROM capture_point WHERE client_id = $1) AND bucket >= $2::timestamptz - interval '25 months' AND bucket <= $2
     ORDER BY 1 DESC`,
    [clientId, now],
  );
  return r.rows.map((x) => x.month);
}

/**
 * The month a new report opens with: last month when it has data; otherwise the newest finished month
 * with data; the current month only when nothing else has any; last month when there is no data at all.
 */
export function defaultReportMonth(withData: readonly string[], now: Date): string {
  const previous = previousSantiagoMonth(now);
  const finished = withData
    .filter((m) => m <= previous)
    .sort()
    .reverse();
  if (finished.length) return finished[0]!;
  return withData.length ? [...withData].sort().at(-1)! : previous;
}
