import { z } from "zod";
import { CATCHUP_MAX_SLOTS_PER_CYCLE, CATCHUP_MAX_SLOTS_PER_POINT } from "@/domain/dga/catchup";
import { BACKLOG_SPACING_MIN } from "@/domain/dga/retry";

/** Env of the web app and the shared server code; read and validated once per process. */
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const ServerEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/smarthydro"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379/0"),
  /** Signs portal sessions (next-auth) and REST JWTs. */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must have at least 32 characters"),
  /** 32 bytes, hex or base64: AES-256-GCM key for provider credentials and informante passwords. */
  ENCRYPTION_KEY: z.string().min(32),
  APP_URL: z.string().url().default("http://127.0.0.1:3000"),
  REST_TOKEN_TTL_SEC: z.coerce.number().int().positive().default(900),
  METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DGA_API_URL: z.string().url().default("http://127.0.0.1:4010/api/v1"),
  DGA_CENTRO_CONTROL_RUT: z.string().optional(),
  DGA_SUBMISSION_ENABLED: bool.default(false),
  DGA_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  DGA_RECEIPT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
  /** Never below the minutes between two sends of one obra that MEE requires (dga-mee.md §6.1). */
  DGA_BACKLOG_SPACING_MIN: z.coerce.number().int().min(BACKLOG_SPACING_MIN).max(60).default(BACKLOG_SPACING_MIN),
  DGA_HORIZON_HOURS: z.coerce.number().int().min(1).max(48).default(2),
  DGA_LEASE_MS: z.coerce.number().int().min(10_000).max(3_600_000).default(120_000),
  DGA_STALE_AFTER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(48),
  DGA_WRITE_OFF_AFTER_DAYS: z.coerce.number().int().min(1).max(366).default(30),
  DGA_RECEIPT_SAMPLE_SIZE: z.coerce.number().int().min(0).max(1_000).default(5),
  /** Catch-up after an outage: owed slots created per point and in total per cycle (live hours are outside the budget). */
  DGA_CATCHUP_MAX_SLOTS_PER_POINT: z.coerce.number().int().min(1).max(10_000).default(CATCHUP_MAX_SLOTS_PER_POINT),
  DGA_CATCHUP_MAX_SLOTS_PER_CYCLE: z.coerce.number().int().min(1).max(1_000_000).default(CATCHUP_MAX_SLOTS_PER_CYCLE),
  INGEST_MAX_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** Port of the ingest gateway process (dist/app/ingest.mjs): webhooks, /health/*, /metrics. */
  INGEST_PORT: z.coerce.number().int().min(1).max(65_535).default(3100),
  /** Port of the REST API process (dist/app/api.mjs, ADR 0014): /api/v1 for Bearer clients, /health/*, /metrics. */
  API_PORT: z.coerce.number().int().min(1).max(65_535).default(3200),
  /**
   * REST API process only: seconds it keeps a credential's principal, a point's client and a client's enabled
   * modules between requests (0: look up every request). Revocations take effect within this time (ADR 0014).
   */
  API_LOOKUP_CACHE_SEC: z.coerce.number().int().min(0).max(60).default(5),
  /** Largest request body any route reads (REST, tRPC, token); the proxy refuses a larger Content-Length. */
  REQUEST_MAX_BYTES: z.coerce.number().int().min(1_024).max(50_000_000).default(1_000_000),
  /**
   * Reverse proxies in front of the portal that append to X-Forwarded-For. The client IP is the
   * entry that many places from the right (0: the last entry, which Next.js fills from the socket).
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** Failed logins in a row per account and IP before a pause; a success resets it. */
  LOGIN_CONSECUTIVE_FAILS: z.coerce.number().int().min(1).max(100).default(10),
  /** Failed logins per IP per day (slow brute force over many accounts). */
  LOGIN_FAILS_PER_IP_DAY: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Requests per minute per API key / user on REST, and report creations per user per hour. */
  API_RATE_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  REPORTS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Open realtime (SSE) streams per user or API key. */
  SSE_MAX_STREAMS: z.coerce.number().int().min(1).max(1_000).default(5),
  /**
   * Comma-separated hosts or CIDRs that webhook notifications may reach although they are
   * private (an operator's internal receiver); everything private is refused otherwise.
   */
  WEBHOOK_ALLOWLIST: z.string().default(""),
  SMTP_URL: z.string().optional(),
  /**
   * auto: smtps:// implicit TLS, port 587 requires STARTTLS (Microsoft 365), other ports STARTTLS when offered;
   * tls / starttls / none force one.
   */
  SMTP_SECURITY: z.enum(["auto", "tls", "starttls", "none"]).default("auto"),
  /** "false" only for a relay with a self-signed certificate on a trusted network. */
  SMTP_TLS_REJECT_UNAUTHORIZED: bool.default(true),
  /** Directory of pg_dump / pg_restore for smarthydro backup / restore; PATH when unset. */
  PG_BIN_DIR: z.string().optional(),
  PROVIDERS_CONFIG: z.string().default("config/providers.yaml"),
  /** Connections of the raw `pg` pool (time series, analytics) per process. */
  PG_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** History cache (rollup-based charts) per web process: bucket rows held (≈150 B each) and entry lifetime. */
  HISTORY_CACHE_MAX_ROWS: z.coerce.number().int().nonnegative().default(300_000),
  HISTORY_CACHE_TTL_SEC: z.coerce.number().int().positive().default(600),
  /**
   * Prefix of every Redis key of this deployment (BullMQ queues, caches, rate limits, realtime channels):
   * one per environment sharing a Redis; tests use one per run. `QUEUE_PREFIX` is its deprecated old name.
   */
  REDIS_NAMESPACE: z.string().min(1).default("sh"),
});
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

let cached: ServerEnv | undefined;

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  // Deprecated alias, kept so deployments that still set QUEUE_PREFIX keep their keys; REDIS_NAMESPACE wins.
  cleaned.REDIS_NAMESPACE ??= cleaned.QUEUE_PREFIX;
  const r = ServerEnvSchema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return r.data;
}

/** The validated env; parsed on first use so `next build` and tests control when it happens. */
export function env(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
