import type pg from "pg";
import type { CreatedAnomaly } from "@/server/anomalies/store";

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

const TITLE_ES: Record<string, string> = {
  point_offline: "Punto sin datos",
  flow_above_granted: "Caudal sobre el otorgado",
  level_drop: "Descenso brusco de nivel",
  totalizer_frozen: "Totalizador congelado",
  negative_flow: "Caudal negativo",
  spike: "Pico en la medición",
  error_code: "Códigos de error sostenidos",
  right_forecast: "Proyección de superar el derecho anual",
  level_forecast: "Proyección de nivel en la bomba",
};

export interface PendingDelivery {
  id: number;
  channel: "email" | "webhook";
}

/**
 * One notification per (new anomaly × matching active rule of its client), in the caller's transaction.
 * In-app rows are the delivery itself (status sent); email and webhook rows stay pending for the notify worker.
 * Called only for newly created anomalies, so repeated occurrences of an open anomaly never notify again.
 */
export async function fanOutNotifications(
  db: pg.PoolClient | pg.Pool,
  anomalies: readonly CreatedAnomaly[],
): Promise<PendingDelivery[]> {
  if (anomalies.length === 0) return [];
  const rules = await db.query<{
    id: number;
    client_id: number;
    channel: "in_app" | "email" | "webhook";
    events: string[];
    min_severity: keyof typeof SEVERITY_RANK;
  }>(
    `SELECT id, client_id, channel::text AS channel, events, min_severity::text AS min_severity FROM notification_rule WHERE active AND client_id = ANY($1::int[])`,
    [[...new Set(anomalies.map((a) => a.clientId))]],
  );
  const names = await db.query<{ id: number; name: string }>(
    `SELECT id, name FROM capture_point WHERE id = ANY($1::int[])`,
    [[...new Set(anomalies.map((a) => a.pointId))]],
  );
  const pointName = new Map(names.rows.map((r) => [r.id, r.name]));
  const rows: {
    clientId: number;
    ruleId: number;
    channel: string;
    event: string;
    severity: string;
    title: string;
    body: string;
    groupKey: string;
    payload: string;
  }[] = [];
  for (const a of anomalies) {
    for (const rule of rules.rows) {
      if (
        rule.client_id !== a.clientId ||
        !rule.events.includes(a.type) ||
        SEVERITY_RANK[a.severity] < SEVERITY_RANK[rule.min_severity]
      )
        continue;
      const name = pointName.get(a.pointId) ?? `Punto ${a.pointId}`;
      rows.push({
        clientId: a.clientId,
        ruleId: rule.id,
        channel: rule.channel,
        event: a.type,
        severity: a.severity,
        title: `${TITLE_ES[a.type] ?? a.type} — ${name}`,
        body: a.reason,
        groupKey: a.dedupeKey,
        payload: JSON.stringify({
          anomalyId: a.id,
          pointId: a.pointId,
          variable: a.variable,
          startedAt: a.firstTs.toISOString(),
        }),
      });
    }
  }
  if (rows.length === 0) return [];
  const r = await db.query<{ id: number; channel: string }>(
    `INSERT INTO notification (client_id, rule_id, channel, event, severity, title, body, group_key, payload, status, sent_at)
     SELECT c, r, ch::"NotificationChannel", e, s::"Severity", t, b, g, p::jsonb,
            (CASE WHEN ch = 'in_app' THEN 'sent' ELSE 'pending' END)::"NotificationStatus", CASE WHEN ch = 'in_app' THEN now() END
     FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS x(c, r, ch, e, s, t, b, g, p)
     RETURNING id, channel::text AS channel`,
    [
      rows.map((x) => x.clientId),
      rows.map((x) => x.ruleId),
      rows.map((x) => x.channel),
      rows.map((x) => x.event),
      rows.map((x) => x.severity),
      rows.map((x) => x.title),
      rows.map((x) => x.body),
      rows.map((x) => x.groupKey),
      rows.map((x) => x.payload),
    ],
  );
  return r.rows.filter((x): x is PendingDelivery => x.channel === "email" || x.channel === "webhook");
}
