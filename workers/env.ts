import { z } from "zod";
import { parseServerEnv, type ServerEnvSchema } from "@/server/env";

/** Rows per processor transaction unless PROCESSOR_ROW_BUDGET says otherwise (docs/PERFORMANCE.md, ingest). */
export const DEFAULT_PROCESSOR_ROW_BUDGET = 15_000;

/** Worker-process env: the shared server env plus what only workers read. */
const WorkerEnvSchema = z.object({
  WORKERS: z.string().default("collector,processor,dga,notify,maintenance,reports,mqtt"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  PROCESSOR_BATCH: z.coerce.number().int().min(1).max(100).default(20),
  /** Rows per processor transaction (group commit): large enough to amortise per-batch statements, small enough for RSS. */
  PROCESSOR_ROW_BUDGET: z.coerce.number().int().min(1_000).max(200_000).default(DEFAULT_PROCESSOR_ROW_BUDGET),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_ID: z.string().default(`w-${process.pid}`),
});

export type WorkerEnv = z.infer<typeof ServerEnvSchema> & z.infer<typeof WorkerEnvSchema>;

export function parseWorkerEnv(source: Record<string, string | undefined>): WorkerEnv {
  const base = parseServerEnv(source);
  const r = WorkerEnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!r.success)
    throw new Error(
      `Invalid worker environment:\n${r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  return { ...base, ...r.data };
}

let cached: WorkerEnv | undefined;
export function workerEnv(): WorkerEnv {
  cached ??= parseWorkerEnv(process.env);
  return cached;
}
