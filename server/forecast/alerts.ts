import type pg from "pg";
import {
  forecastDedupeKey,
  levelAlertDecision,
  rightAlertDecision,
  type ForecastAlert,
  type ForecastEvent,
} from "@/domain/forecast/alerts";
import { forecastRight } from "@/domain/forecast/right";
import { levelTrend } from "@/domain/forecast/level";
import { santiagoDay } from "@/domain/analytics/period";
import { fanOutNotifications, type PendingDelivery } from "@/server/notifications/fanout";
import { withTransaction } from "@/server/pg";
import { readDailyDepths, readDailyVolumes, readForecastPoints, type ForecastPoint } from "./read";

export interface ForecastAlertRun {
  points: number;
  raised: number;
  updated: number;
  resolved: number;
  pending: PendingDelivery[];
}

/**
 * Evaluates right_forecast and level_forecast for active points that have a right or a pump intake
 * configured. One anomaly per episode (point × water year, or point × intake): the first decision creates
 * it and notifies; later runs only refresh its reason, severity and projected date; when the projection no
 * longer warrants it, it is resolved. A resolved episode that comes back is reopened without notifying again.
 */
export async function evaluateForecastAlerts(pool: pg.Pool, now: Date, pointIds?: number[]): Promise<ForecastAlertRun> {
  const points = (await readForecastPoints(pool, { pointIds, activeOnly: true })).filter(
    (p) => p.annualVolumeM3 || (p.kind === "groundwater" && p.pumpIntakeDepthM != null),
  );
  const run: ForecastAlertRun = { points: points.length, raised: 0, updated: 0, resolved: 0, pending: [] };
  const daily = await readDailyVolumes(
    pool,
    points.filter((p) => p.annualVolumeM3).map((p) => p.id),
    now,
  );
  for (const p of points) {
    const decisions: { type: ForecastEvent; alert: ForecastAlert | null; details: Record<string, unknown> }[] = [];
    if (p.annualVolumeM3) {
      const f = forecastRight({
        now,
        waterYearStartMonth: p.waterYearStartMonth,
        annualVolumeM3: p.annualVolumeM3,
        grantedFlowLps: p.grantedFlowLps,
        daily: daily.get(p.id) ?? [],
      });
      decisions.push({
        type: "right_forecast",
        alert: rightAlertDecision(f, p.forecastLeadDays),
        details: { waterYear: f.waterYear, exceedance: f.exceedance, explanation: f.explanation },
      });
    }
    if (p.kind === "groundwater" && p.pumpIntakeDepthM != null) {
      const t = levelTrend({
        daily: await readDailyDepths(pool, p.id, now),
        asOfDay: santiagoDay(now),
        pumpIntakeDepthM: p.pumpIntakeDepthM,
      });
      decisions.push({
        type: "level_forecast",
        alert: levelAlertDecision(t, p.forecastLeadDays),
        details: { intake: t.intake, dynamicDepthM: t.dynamicDepthM, explanation: t.explanation },
      });
    }
    for (const d of decisions) await apply(pool, p, now, d, run);
  }
  return run;
}

async function apply(
  pool: pg.Pool,
  p: ForecastPoint,
  now: Date,
  d: { type: ForecastEvent; alert: ForecastAlert | null; details: Record<string, unknown> },
  run: ForecastAlertRun,
): Promise<void> {
  if (!d.alert) {
    const r = await pool.query(
      `UPDATE anomaly SET state = 'resolved', resolved_at = $3 WHERE type = $1 AND point_id = $2 AND state <> 'resolved'`,
      [d.type, p.id, now],
    );
    run.resolved += r.rowCount ?? 0;
    return;
  }
  const a = d.alert;
  const dedupeKey = forecastDedupeKey(a, p.id);
  const details = { variable: "point", projectedDate: a.date, episode: a.episode, ...d.details };
  await withTransaction(pool, async (tx) => {
    const r = await tx.query<{ id: number; inserted: boolean }>(
      `INSERT INTO anomaly (client_id, point_id, type, severity, state, reason, dedupe_key, count, details, started_at, last_seen_at)
       VALUES ($1, $2, $3, $4::"Severity", 'open', $5, $6, 1, $7::jsonb, $8, $8)
       ON CONFLICT (dedupe_key) DO UPDATE SET severity = EXCLUDED.severity, reason = EXCLUDED.reason, details = EXCLUDED.details,
         last_seen_at = EXCLUDED.last_seen_at, count = anomaly.count + 1,
         state = CASE WHEN anomaly.state = 'resolved' THEN 'open'::"AnomalyState" ELSE anomaly.state END,
         resolved_at = CASE WHEN anomaly.state = 'resolved' THEN NULL ELSE anomaly.resolved_at END
       RETURNING id, (xmax = 0) AS inserted`,
      [p.clientId, p.id, a.type, a.severity, a.reason, dedupeKey, JSON.stringify(details), now],
    );
    const row = r.rows[0]!;
    if (row.inserted) {
      run.raised++;
      run.pending.push(
        ...(await fanOutNotifications(tx, [
          {
            id: row.id,
            dedupeKey,
            type: a.type,
            severity: a.severity,
            clientId: p.clientId,
            pointId: p.id,
            variable: "point",
            firstTs: now,
            lastTs: now,
            count: 1,
            reason: a.reason,
            details,
          },
        ])),
      );
    } else run.updated++;
  });
}
