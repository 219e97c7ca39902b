import type pg from "pg";
import { previewRule, type AlertRuleSpec, type RulePreview } from "@/domain/alert-rules/rule";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { TRUSTED_CODES } from "@/server/analytics/sql";
import { loadFlowSamples } from "./context";

export const PREVIEW_DAYS = 30;
/** A month of 1-minute readings is ~43,000 rows; beyond this the preview reads the most recent ones. */
const MAX_ROWS = 200_000;

/** Runs a rule over the point's trusted readings of the last 30 days (with its flow when the schedule needs the pump state). */
export async function previewOnPoint(
  pool: pg.Pool,
  pointId: number,
  rule: AlertRuleSpec,
  now: Date,
): Promise<RulePreview & { from: Date; to: Date }> {
  const from = new Date(now.getTime() - PREVIEW_DAYS * 86_400_000);
  const { rows } = await pool.query<{ ms: number; value: number }>(
    `SELECT * FROM (SELECT extract(epoch FROM ts) * 1000 AS ms, value FROM measurement
       WHERE point_id = $1 AND variable = $2 AND ts >= $3 AND ts <= $4 AND value IS NOT NULL AND quality = ANY($5::smallint[])
       ORDER BY ts DESC LIMIT $6) s ORDER BY ms`,
    [pointId, VARIABLE_CODE[rule.variable], from, now, TRUSTED_CODES, MAX_ROWS],
  );
  const flow =
    rule.schedule?.pumpOnAboveLps != null && rule.variable !== "flow"
      ? await loadFlowSamples(pool, pointId, from, now)
      : undefined;
  return {
    ...previewRule(
      rule,
      rows.map((r) => ({ ts: new Date(Number(r.ms)), value: Number(r.value) })),
      PREVIEW_DAYS,
      { flow },
    ),
    from,
    to: now,
  };
}
