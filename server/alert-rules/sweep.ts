import type pg from "pg";
import { noDataDue } from "@/domain/alert-rules/rule";
import type { PendingDelivery } from "@/server/notifications/fanout";
import { withTransaction } from "@/server/pg";
import { RULE_COLUMNS, raiseRuleAnomaly, toRule } from "./evaluate";

/**
 * no_data rules cannot wait for data to notice silence: every minute (maintenance offline sweep) the points a
 * no_data rule has seen are checked, and a silence past the rule's duration fires its episode; the next
 * reading resolves it in the processor.
 */
export async function sweepNoDataRules(
  pool: pg.Pool,
  now: Date,
): Promise<{ fired: number; pending: PendingDelivery[] }> {
  const { rows } = await pool.query<
    {
      point_id: number;
      last_ts: Date | null;
      last_value: number | null;
      pending_since: Date | null;
      firing_since: Date | null;
    } & Parameters<typeof toRule>[0]
  >(
    `SELECT s.point_id, s.last_ts, s.last_value, s.pending_since, s.firing_since, ${RULE_COLUMNS.split(", ")
      .map((c) => `r.${c}`)
      .join(", ")}
     FROM alert_rule_state s JOIN alert_rule r ON r.id = s.rule_id
     WHERE r.active AND r.condition = 'no_data' AND s.firing_since IS NULL AND s.last_ts < $1::timestamptz - make_interval(mins => r.duration_min)`,
    [now],
  );
  let fired = 0;
  const pending: PendingDelivery[] = [];
  for (const row of rows) {
    const [rule] = toRule(row);
    if (!rule) continue;
    const e = noDataDue(
      rule,
      {
        pendingSince: row.pending_since,
        firingSince: row.firing_since,
        lastTs: row.last_ts,
        lastValue: row.last_value,
      },
      now,
    );
    if (!e) continue;
    await withTransaction(pool, async (tx) => {
      // Conditional claim: a processor batch that just resolved or a second sweeper makes this a no-op.
      const claim = await tx.query(
        `UPDATE alert_rule_state SET firing_since = $3, updated_at = now() WHERE rule_id = $1 AND point_id = $2 AND firing_since IS NULL AND last_ts = $4`,
        [rule.id, row.point_id, e.at, row.last_ts],
      );
      if (!claim.rowCount) return;
      const r = await raiseRuleAnomaly(tx, rule, rule.clientId, row.point_id, e);
      await tx.query(`UPDATE alert_rule_state SET anomaly_id = $3 WHERE rule_id = $1 AND point_id = $2`, [
        rule.id,
        row.point_id,
        r.anomalyId,
      ]);
      pending.push(...r.pending);
      fired++;
    });
  }
  return { fired, pending };
}
