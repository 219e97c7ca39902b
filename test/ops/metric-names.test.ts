import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricNames, metricsRegistry, observeHttp } from "@/server/metrics/registry";
import { exposedRegistry } from "@/workers/lib/metrics";

const SUFFIXES = /_(bucket|count|sum)$/;

/** smarthydro_* and http_* names in a PromQL expression (recording-rule names contain ':' and are skipped). */
export function referencedMetrics(expr: string): string[] {
  const names = expr.match(/(?<![\w:])(smarthydro_[a-z0-9_]+|http_[a-z0-9_]+)(?![\w:])/g) ?? [];
  return names.map((n) => n.replace(SUFFIXES, ""));
}

function dashboardExprs(): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const f of readdirSync("deploy/grafana/dashboards")) {
    const d = JSON.parse(readFileSync(`deploy/grafana/dashboards/${f}`, "utf8")) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    for (const p of d.panels) for (const t of p.targets ?? []) out.push({ where: `${f}: ${p.title}`, expr: t.expr });
  }
  return out;
}

function ruleExprs(): { where: string; expr: string }[] {
  const doc = parse(readFileSync("deploy/prometheus/rules.yml", "utf8")) as {
    groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `${g.name}/${r.alert ?? r.record}`, expr: r.expr })));
}

describe("metric names", () => {
  const shared = new Set(metricNames());
  // A worker's /metrics also serves its job metrics (workers/lib/metrics.ts).
  const exposed = new Set(exposedRegistry.getMetricsAsArray().map((m) => m.name));

  it("defines every metric of the shared contract", () => {
    for (const n of [
      "http_request_duration_seconds",
      "smarthydro_ingest_payloads_total",
      "smarthydro_ingest_readings_total",
      "smarthydro_queue_depth",
      "smarthydro_queue_oldest_age_seconds",
      "smarthydro_processing_lag_seconds",
      "smarthydro_readings_total",
      "smarthydro_dga_slots",
      "smarthydro_dga_owed_slots_missing",
      "smarthydro_dga_backlog_slots",
      "smarthydro_dga_backlog_max_obra_slots",
      "smarthydro_dga_backlog_obras",
      "smarthydro_dga_submission_duration_seconds",
      "smarthydro_dga_submissions_total",
      "smarthydro_provider_errors_total",
      "smarthydro_db_pool_connections",
      "smarthydro_redis_up",
      "smarthydro_points",
    ])
      expect(shared.has(n), n).toBe(true);
    for (const n of shared) expect(exposed.has(n), `worker /metrics lacks ${n}`).toBe(true);
  });

  it("dashboards and rules reference only defined metrics", () => {
    const all = [...dashboardExprs(), ...ruleExprs()];
    expect(all.length).toBeGreaterThan(30);
    const unknown = all.flatMap(({ where, expr }) =>
      referencedMetrics(expr)
        .filter((n) => !exposed.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it("every dashboard is provisionable JSON with unique uids and a Prometheus datasource", () => {
    const uids = readdirSync("deploy/grafana/dashboards").map((f) => {
      const d = JSON.parse(readFileSync(`deploy/grafana/dashboards/${f}`, "utf8")) as {
        uid: string;
        panels: { datasource: { uid: string } }[];
      };
      for (const p of d.panels) expect(p.datasource.uid).toBe("prometheus");
      return d.uid;
    });
    expect(new Set(uids).size).toBe(3);
    const ds = parse(readFileSync("deploy/grafana/provisioning/datasources/prometheus.yml", "utf8")) as {
      datasources: { uid: string }[];
    };
    expect(ds.datasources[0]?.uid).toBe("prometheus");
  });

  it("records HTTP latency under the route template", async () => {
    observeHttp("/api/v1/points/{id}", "GET", 200, 0.012);
    const text = await metricsRegistry.getSingleMetricAsString("http_request_duration_seconds");
    expect(text).toContain('route="/api/v1/points/{id}",method="GET",status="200"');
  });
});
