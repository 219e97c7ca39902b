import type pg from "pg";
import {
  AlertRuleSpecSchema,
  stepRule,
  type AlertRuleSpec,
  type RuleEvent,
  type RuleSample,
  type RuleState,
} from "@/domain/alert-rules/rule";
import { isTrustedValue } from "@/domain/measurements/quality";
import type { Variable } from "@/domain/measurements/types";
import type { AssessedRow } from "@/server/timeseries/recompute";
import type { PendingDelivery } from "@/server/notifications/fanout";
import { PUMP_MATCH_MS } from "@/domain/alert-rules/schedule";
import { groupsOf, loadFlowSamples } from "./context";

/** Anomaly type and notification event of user rules. */
const ALERT_RULE_EVENT = "alert_rule";

export interface RuleBatchInput {
  clientId: number;
  pointId: number;
  variable: Variable;
  rows: readonly AssessedRow[];
}

export interface RuleRow extends AlertRuleSpec {
  id: number;
  clientId: number;
  pointId: number | null;
  groupId: number | null;
}

/** A rule applies to a point it names, to the points of its group, or (neither) to every point of its client. */
function ruleApplies(
  r: Pick<RuleRow, "clientId" | "pointId" | "groupId">,
  p: { clientId: number; pointId: number; groupId: number | null },
): boolean {
  if (r.clientId !== p.clientId) return false;
  if (r.pointId !== null) return r.pointId === p.pointId;
  if (r.groupId !== null) return r.groupId === p.groupId;
  return true;
}

/** Trusted, valued rows of a series as rule samples (sorted). */
function ruleSamples(rows: readonly Pick<AssessedRow, "ts" | "value" | "quality">[]): RuleSample[] {
  return rows
    .filter((r) => r.value !== null && isTrustedValue(r.quality) && r.quality !== "future")
    .map((r) => ({ ts: r.ts, value: r.value! }))
    .sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

/**
 * Evaluates the active user rules of the batch's points on their new rows, in the processor's transaction.
 * State per (rule, point) makes a rule fire once per episode across batches: a fire creates an anomaly and
 * notifications on the rule's channels; a resolve closes that anomaly.
 */
export async function evaluateAlertRules(
  db: pg.PoolClient | pg.Pool,
  inputs: readonly RuleBatchInput[],
): Promise<PendingDelivery[]> {
  if (inputs.length === 0) return [];
  const groups = await groupsOf(
    db,
    inputs.map((i) => i.pointId),
  );
  const { rows } = await db.query<DbRule>(
    `SELECT ${RULE_COLUMNS} FROM alert_rule
     WHERE active AND client_id = ANY($2::int[]) AND variable = ANY($3::text[])
       AND (point_id = ANY($1::int[]) OR group_id = ANY($4::int[]) OR (point_id IS NULL AND group_id IS NULL))`,
    [
      [...new Set(inputs.map((i) => i.pointId))],
      [...new Set(inputs.map((i) => i.clientId))],
      [...new Set(inputs.map((i) => i.variable))],
      [...new Set(groups.values())],
    ],
  );
  if (rows.length === 0) return [];
  const rules = rows.flatMap(toRule);
  const pending: PendingDelivery[] = [];
  for (const input of inputs) {
    const samples = ruleSamples(input.rows.filter((r) => r.isNew));
    if (samples.length === 0) continue;
    const target = { clientId: input.clientId, pointId: input.pointId, groupId: groups.get(input.pointId) ?? null };
    const applying = rules.filter((r) => r.variable === input.variable && ruleApplies(r, target));
    // The pump state at each reading comes from the point's flow (already merged in this transaction).
    const flow = applying.some((r) => r.schedule?.pumpOnAboveLps != null && r.variable !== "flow")
      ? await loadFlowSamples(
          db,
          input.pointId,
          new Date(samples[0]!.ts.getTime() - PUMP_MATCH_MS),
          new Date(samples[samples.length - 1]!.ts.getTime() + PUMP_MATCH_MS),
        )
      : undefined;
    for (const rule of applying) {
      const st = await db.query<{
        pending_since: Date | null;
        firing_since: Date | null;
        last_ts: Date | null;
        last_value: number | null;
        anomaly_id: number | null;
      }>(
        `SELECT pending_since, firing_since, last_ts, last_value, anomaly_id FROM alert_rule_state WHERE rule_id = $1 AND point_id = $2 FOR UPDATE`,
        [rule.id, input.pointId],
      );
      const cur = st.rows[0];
      const state: RuleState = {
        pendingSince: cur?.pending_since ?? null,
        firingSince: cur?.firing_since ?? null,
        lastTs: cur?.last_ts ?? null,
        lastValue: cur?.last_value ?? null,
      };
      const { state: next, events } = stepRule(rule, state, samples, { flow });
      let anomalyId = cur?.anomaly_id ?? null;
      for (const e of events) {
        if (e.kind === "fire") {
          const raised = await raiseRuleAnomaly(db, rule, input.clientId, input.pointId, e);
          anomalyId = raised.anomalyId ?? anomalyId;
          pending.push(...raised.pending);
        } else if (anomalyId !== null) {
          await db.query(
            `UPDATE anomaly SET state = 'resolved', resolved_at = $2, last_seen_at = greatest(last_seen_at, $2) WHERE id = $1 AND state <> 'resolved'`,
            [anomalyId, e.at],
          );
          anomalyId = null;
        }
      }
      await db.query(
        `INSERT INTO alert_rule_state (rule_id, point_id, pending_since, firing_since, last_ts, last_value, anomaly_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (rule_id, point_id) DO UPDATE SET pending_since = EXCLUDED.pending_since, firing_since = EXCLUDED.firing_since, last_ts = EXCLUDED.last_ts,
           last_value = EXCLUDED.last_value, anomaly_id = EXCLUDED.anomaly_id, updated_at = now()`,
        [rule.id, input.pointId, next.pendingSince, next.firingSince, next.lastTs, next.lastValue, anomalyId],
      );
    }
  }
  return pending;
}

interface DbRule {
  id: number;
  client_id: number;
  point_id: number | null;
  group_id: number | null;
  schedule: unknown;
  name: string;
  variable: string;
  condition: string;
  threshold: number;
  unit: string;
  duration_min: number;
  hysteresis: number;
  severity: string;
  channels: string[];
}
export const RULE_COLUMNS =
  "id, client_id, point_id, group_id, schedule, name, variable, condition, threshold, unit, duration_min, hysteresis, severity::text AS severity, channels";

/** A stored rule row as a validated spec (a row that no longer validates is skipped, not guessed). */
export function toRule(r: DbRule): RuleRow[] {
  const spec = AlertRuleSpecSchema.safeParse({
    name: r.name,
    variable: r.variable,
    condition: r.condition,
    threshold: r.threshold,
    unit: r.unit,
    durationMin: r.duration_min,
    hysteresis: r.hysteresis,
    severity: r.severity,
    channels: r.channels,
    schedule: r.schedule,
  });
  return spec.success
    ? [{ ...spec.data, id: r.id, clientId: r.client_id, pointId: r.point_id, groupId: r.group_id }]
    : [];
}

/** One episode's anomaly (idempotent on rule, point and instant) and its notifications. */
export async function raiseRuleAnomaly(
  db: pg.PoolClient | pg.Pool,
  rule: RuleRow,
  clientId: number,
  pointId: number,
  e: RuleEvent,
): Promise<{ anomalyId: number | null; pending: PendingDelivery[] }> {
  const a = await db.query<{ id: number }>(
    `INSERT INTO anomaly (client_id, point_id, type, severity, reason, dedupe_key, count, details, started_at, last_seen_at)
     VALUES ($1, $2, $3, $4::"Severity", $5, $6, 1, $7::jsonb, $8, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      clientId,
      pointId,
      ALERT_RULE_EVENT,
      rule.severity,
      `${rule.name}: ${e.reason}`,
      `${ALERT_RULE_EVENT}:${rule.id}:${pointId}:${e.at.toISOString()}`,
      JSON.stringify({ variable: rule.variable, ruleId: rule.id, value: e.value }),
      e.at,
    ],
  );
  const id = a.rows[0]?.id ?? null;
  return { anomalyId: id, pending: id === null ? [] : await notify(db, rule, pointId, id, e.reason) };
}

/** In-app notification always (when chosen); email/webhook to the client's notification rules subscribed to alert_rule on those channels. */
async function notify(
  db: pg.PoolClient | pg.Pool,
  rule: RuleRow,
  pointId: number,
  anomalyId: number,
  reason: string,
): Promise<PendingDelivery[]> {
  const name =
    (await db.query<{ name: string }>(`SELECT name FROM capture_point WHERE id = $1`, [pointId])).rows[0]?.name ??
    `Punto ${pointId}`;
  const title = `${rule.name} — ${name}`;
  const payload = JSON.stringify({ anomalyId, pointId, ruleId: rule.id });
  const groupKey = `${ALERT_RULE_EVENT}:${rule.id}:${pointId}:${anomalyId}`;
  if (rule.channels.includes("in_app")) {
    await db.query(
      `INSERT INTO notification (client_id, channel, event, severity, title, body, group_key, payload, status, sent_at) VALUES ($1, 'in_app', $2, $3::"Severity", $4, $5, $6, $7::jsonb, 'sent', now())`,
      [rule.clientId, ALERT_RULE_EVENT, rule.severity, title, reason, groupKey, payload],
    );
  }
  const r = await db.query<{ id: number; channel: "email" | "webhook" }>(
    `INSERT INTO notification (client_id, rule_id, channel, event, severity, title, body, group_key, payload, status)
     SELECT client_id, id, channel, $2, $3::"Severity", $4, $5, $6, $7::jsonb, 'pending' FROM notification_rule
     WHERE active AND client_id = $1 AND $2 = ANY(events) AND channel::text = ANY($8::text[]) AND channel <> 'in_app'
     RETURNING id, channel::text AS channel`,
    [rule.clientId, ALERT_RULE_EVENT, rule.severity, title, reason, groupKey, payload, rule.channels],
  );
  return r.rows;
}
