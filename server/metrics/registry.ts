import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The one set of SmartHydro metrics, shared by the web app (/api/metrics) and every worker process
 * (/metrics on METRICS_PORT). Names carry units; label values must come from small closed sets
 * (route templates, provider kinds, outcomes), never ids, paths or error messages.
 *
 * Scrape-time gauges (queue depth, DGA slots, points, pool, Redis) are filled by
 * server/metrics/collect.ts right before each exposition.
 */
function build() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    /** route = template ("/api/v1/points/{id}", "unmatched"), never the raw path. */
    httpRequestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by route template, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    /** transport: poll|push; status: accepted|duplicate|rejected|error. */
    ingestPayloads: new Counter({
      name: "smarthydro_ingest_payloads_total",
      help: "Raw provider payloads received, by provider kind, transport and outcome",
      labelNames: ["provider", "transport", "status"] as const,
      registers,
    }),
    /** reason: domain/providers REJECT_CODES (decode_failed, simulated, not_uplink, unknown_device, …). */
    ingestRejected: new Counter({
      name: "smarthydro_ingest_rejected_payloads_total",
      help: "Provider payloads kept raw without readings, by provider kind, account and reason",
      labelNames: ["provider", "account", "reason"] as const,
      registers,
    }),
    ingestReadings: new Counter({
      name: "smarthydro_ingest_readings_total",
      help: "Readings extracted from provider payloads",
      labelNames: ["provider"] as const,
      registers,
    }),
    /** state: waiting|active|delayed|prioritized|failed|completed|waiting-children. */
    queueDepth: new Gauge({
      name: "smarthydro_queue_depth",
      help: "BullMQ jobs per queue and state (collected on scrape)",
      labelNames: ["queue", "state"] as const,
      registers,
    }),
    queueOldestAge: new Gauge({
      name: "smarthydro_queue_oldest_age_seconds",
      help: "Age of the oldest waiting job per queue (0 when empty)",
      labelNames: ["queue"] as const,
      registers,
    }),
    /** Seconds from a raw payload's receipt to its readings being stored. */
    processingLag: new Histogram({
      name: "smarthydro_processing_lag_seconds",
      help: "Delay from raw payload receipt to processed readings",
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600],
      registers,
    }),
    /** quality: the quality flag name of each stored reading (ok, suspect, invalid, …). */
    readings: new Counter({
      name: "smarthydro_readings_total",
      help: "Readings stored by quality flag",
      labelNames: ["quality"] as const,
      registers,
    }),
    dgaSlots: new Gauge({
      name: "smarthydro_dga_slots",
      help: "DGA slots per state (collected on scrape)",
      labelNames: ["state"] as const,
      registers,
    }),
    /** Owed slots (go-live → now) without a dga_slot row; the catch-up closes them within a few cycles. */
    dgaOwedSlotsMissing: new Gauge({
      name: "smarthydro_dga_owed_slots_missing",
      help: "DGA slots owed since go-live that have no row (collected on scrape)",
      registers,
    }),
    /** Backlog = due, sendable, unsent slots of a live obra (per obra in `smarthydro dga backlog`; ids never become labels). */
    dgaBacklogSlots: new Gauge({
      name: "smarthydro_dga_backlog_slots",
      help: "Due unsent DGA slots over all live obras (collected on scrape)",
      registers,
    }),
    dgaBacklogMaxObraSlots: new Gauge({
      name: "smarthydro_dga_backlog_max_obra_slots",
      help: "Largest backlog of due unsent DGA slots of one obra (collected on scrape)",
      registers,
    }),
    dgaBacklogObras: new Gauge({
      name: "smarthydro_dga_backlog_obras",
      help: "Live obras with 2 or more due unsent DGA slots (collected on scrape)",
      registers,
    }),
    /** outcome: accepted|rejected|retry|failed|timeout. */
    dgaSubmissionDuration: new Histogram({
      name: "smarthydro_dga_submission_duration_seconds",
      help: "Duration of DGA MEE submissions by outcome",
      labelNames: ["outcome"] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    dgaSubmissions: new Counter({
      name: "smarthydro_dga_submissions_total",
      help: "DGA MEE submissions by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
    /** class: auth|rate_limit|timeout|network|server|parse|other. */
    providerErrors: new Counter({
      name: "smarthydro_provider_errors_total",
      help: "Provider call errors by provider kind and error class",
      labelNames: ["provider", "class"] as const,
      registers,
    }),
    /** state: online|offline (active points only; offline = no reading for 3x the expected interval, at least 1 h). */
    points: new Gauge({
      name: "smarthydro_points",
      help: "Active capture points by connectivity (collected on scrape)",
      labelNames: ["state"] as const,
      registers,
    }),
    /** state: active|idle|waiting (the process's pg pool). */
    dbPoolConnections: new Gauge({
      name: "smarthydro_db_pool_connections",
      help: "PostgreSQL pool connections by state",
      labelNames: ["state"] as const,
      registers,
    }),
    redisUp: new Gauge({
      name: "smarthydro_redis_up",
      help: "1 when Redis answered PING during the scrape",
      registers,
    }),
    /** result: hit|miss (rollup-based histories served from the web process's cache, ADR 0007). */
    historyCache: new Counter({
      name: "smarthydro_history_cache_requests_total",
      help: "History reads through the in-process cache by result",
      labelNames: ["result"] as const,
      registers,
    }),
  };
}

export type SmartHydroMetrics = ReturnType<typeof build>;

// One instance per process, even when Next.js bundles this module into several chunks.
const g = globalThis as unknown as { __smarthydroMetrics?: SmartHydroMetrics };
export const metrics: SmartHydroMetrics = (g.__smarthydroMetrics ??= build());
export const metricsRegistry: Registry = metrics.registry;

/** Every metric name this module defines (the dashboards and alert rules may reference only these). */
export function metricNames(): string[] {
  return metricsRegistry.getMetricsAsArray().map((m) => m.name);
}

/** Records one HTTP request; `route` must be a template. */
export function observeHttp(route: string, method: string, status: number, seconds: number): void {
  metrics.httpRequestDuration.observe({ route, method, status: String(status) }, seconds);
}
