import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { AppError } from "@/domain/errors";
import { PROVIDER_KINDS, type ProviderKind } from "@/domain/providers/types";
import { env } from "@/server/env";

const sec = z.number().int().min(0);
const CollectFields = z.object({
  timeout_sec: sec.min(1),
  page_size: z.number().int().min(1).max(10_000),
  rate_limit_per_min: z.number().int().min(1),
  concurrency: z.number().int().min(1).max(64),
  overlap_sec: sec,
  lag_sec: sec,
  late_window_sec: sec,
  late_sweep_every_sec: sec.min(60),
  initial_lookback_sec: sec.min(60),
  max_window_sec: sec.min(60),
  chunk_sec: sec.min(60),
  max_pages: z.number().int().min(1),
});
const KindFields = CollectFields.partial().extend({
  base_url: z.string().url().optional(),
  mqtt_topics: z.array(z.string().min(1)).optional(),
});

const FileSchema = z.object({
  defaults: CollectFields,
  kinds: z.partialRecord(z.enum(PROVIDER_KINDS), KindFields).default({}),
  push: z
    .object({
      secret_headers: z.array(z.string().min(1)).default(["x-webhook-secret"]),
      extra_secret_headers: z.partialRecord(z.enum(PROVIDER_KINDS), z.array(z.string().min(1))).default({}),
      account_cache_sec: sec.default(30),
      dedupe_ttl_sec: sec.min(60).default(86_400),
    })
    .prefault({}),
  scheduler: z.object({ tick_sec: sec.min(1).default(15) }).prefault({}),
});

/** Effective collector settings of one kind (camelCase, every duration in ms). */
export interface KindConfig {
  kind: ProviderKind;
  baseUrl: string | null;
  timeoutMs: number;
  pageSize: number;
  rateLimitPerMin: number;
  concurrency: number;
  overlapMs: number;
  lagMs: number;
  lateWindowMs: number;
  lateSweepEveryMs: number;
  initialLookbackMs: number;
  maxWindowMs: number;
  chunkMs: number;
  maxPages: number;
  mqttTopics: string[];
}

export interface ProvidersConfig {
  kinds: Record<ProviderKind, KindConfig>;
  push: {
    secretHeaders: string[];
    extraSecretHeaders: Partial<Record<ProviderKind, string[]>>;
    accountCacheMs: number;
    dedupeTtlSec: number;
  };
  scheduler: { tickMs: number };
}

type Fields = z.infer<typeof CollectFields>;

function toKind(kind: ProviderKind, f: Fields, extra: z.infer<typeof KindFields>): KindConfig {
  return {
    kind,
    baseUrl: extra.base_url ?? null,
    timeoutMs: f.timeout_sec * 1000,
    pageSize: f.page_size,
    rateLimitPerMin: f.rate_limit_per_min,
    concurrency: f.concurrency,
    overlapMs: f.overlap_sec * 1000,
    lagMs: f.lag_sec * 1000,
    lateWindowMs: f.late_window_sec * 1000,
    lateSweepEveryMs: f.late_sweep_every_sec * 1000,
    initialLookbackMs: f.initial_lookback_sec * 1000,
    maxWindowMs: f.max_window_sec * 1000,
    chunkMs: f.chunk_sec * 1000,
    maxPages: f.max_pages,
    mqttTopics: extra.mqtt_topics ?? [],
  };
}

/** YAML text → validated config; throws AppError BAD_INPUT naming the offending path. */
function parseProvidersConfig(text: string): ProvidersConfig {
  const r = FileSchema.safeParse(parse(text));
  if (!r.success)
    throw new AppError(
      "BAD_INPUT",
      `providers config: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const c = r.data;
  const kinds = Object.fromEntries(
    PROVIDER_KINDS.map((k) => {
      const extra = c.kinds[k] ?? {};
      const { base_url: _b, mqtt_topics: _m, ...overrides } = extra;
      return [k, toKind(k, { ...c.defaults, ...stripUndefined(overrides) }, extra)];
    }),
  ) as Record<ProviderKind, KindConfig>;
  return {
    kinds,
    push: {
      secretHeaders: c.push.secret_headers.map((h) => h.toLowerCase()),
      extraSecretHeaders: Object.fromEntries(
        Object.entries(c.push.extra_secret_headers).map(([k, v]) => [k, v.map((h) => h.toLowerCase())]),
      ),
      accountCacheMs: c.push.account_cache_sec * 1000,
      dedupeTtlSec: c.push.dedupe_ttl_sec,
    },
    scheduler: { tickMs: c.scheduler.tick_sec * 1000 },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

let cached: ProvidersConfig | undefined;

/** The config named by PROVIDERS_CONFIG, read once per process. */
export function providersConfig(): ProvidersConfig {
  cached ??= parseProvidersConfig(
    readFileSync(resolve(/* turbopackIgnore: true */ process.cwd(), env().PROVIDERS_CONFIG), "utf8"),
  );
  return cached;
}

/** Account-level overrides (ProviderAccount.settings.collect, same snake_case keys as the YAML). */
export function kindConfigFor(kind: ProviderKind, settings: Record<string, unknown> | null | undefined): KindConfig {
  const base = providersConfig().kinds[kind];
  const raw = settings?.collect;
  if (!raw || typeof raw !== "object") return base;
  const o = CollectFields.partial().safeParse(raw);
  if (!o.success) return base;
  const d = o.data;
  const ms = (v: number | undefined, fallback: number) => (v === undefined ? fallback : v * 1000);
  return {
    ...base,
    timeoutMs: ms(d.timeout_sec, base.timeoutMs),
    pageSize: d.page_size ?? base.pageSize,
    overlapMs: ms(d.overlap_sec, base.overlapMs),
    lagMs: ms(d.lag_sec, base.lagMs),
    lateWindowMs: ms(d.late_window_sec, base.lateWindowMs),
    lateSweepEveryMs: ms(d.late_sweep_every_sec, base.lateSweepEveryMs),
    initialLookbackMs: ms(d.initial_lookback_sec, base.initialLookbackMs),
    maxWindowMs: ms(d.max_window_sec, base.maxWindowMs),
    chunkMs: ms(d.chunk_sec, base.chunkMs),
    maxPages: d.max_pages ?? base.maxPages,
  };
}
