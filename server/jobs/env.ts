import { z } from "zod";
import { parseServerEnv, type ServerEnvSchema } from "@/server/env";

/** Rows per processor transaction unless PROCESSOR_ROW_BUDGET says otherwise (docs/PERFORMANCE.md, ingest). */
export const DEFAULT_PROCESSOR_ROW_BUDGET = 15_000;

/** What a process running jobs reads on top of the shared server env (workers/env.ts reads it from process.env). */
const JobHostEnvSchema = z.object({
  WORKERS: z.string().default("collector,processor,dga,notify,maintenance,reports,mqtt"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  PROCESSOR_BATCH: z.coerce.number().int().min(1).max(100).default(20),
  /** Rows per processor transaction (group commit): large enough to amortise per-batch statements, small enough for RSS. */
  PROCESSOR_ROW_BUDGET: z.coerce.number().int().min(1_000).max(200_000).default(DEFAULT_PROCESSOR_ROW_BUDGET),
  /**
   * "1": parse the next batch while the current one commits. Off: on 2026-12-03 (300 × 24 h, load 14–18) it gave
   * 14.0k / 11.5k readings/s against 13.5k / 13.8k without, and peak RSS up to 303 MB (≤ 262 MB without).
   */
  PROCESSOR_OVERLAP: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_ID: z.string().default(`w-${process.pid}`),
});

export type JobHostEnv = z.infer<typeof ServerEnvSchema> & z.infer<typeof JobHostEnvSchema>;

export function parseJobHostEnv(source: Record<string, string | undefined>): JobHostEnv {
  const base = parseServerEnv(source);
  const r = JobHostEnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!r.success)
    throw new Error(
      `Invalid worker environment:\n${r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  return { ...base, ...r.data };
}
