import { z } from "zod";
import { DEFAULT_JOB_OPTIONS, defineJob, enqueue, enqueueMany, type JobHost } from "@/server/jobs/define";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { getLogger } from "@/server/logger";
import { enqueueDeliveries } from "@/server/notifications/jobs";

export const ProcessRawJobSchema = z.object({
  rawIds: z.array(z.string()).min(1),
  /** Re-run payloads already processed or rejected (replay after a mapping fix); default skips them. */
  reprocess: z.boolean().optional(),
  /**
   * Set when the same payloads are enqueued again on purpose (a sweep minute, a replay): it enters the job
   * id, so the new job does not collapse onto the finished one kept for an hour.
   */
  round: z
    .string()
    .regex(/^[\w-]+$/)
    .max(60)
    .optional(),
});
export type ProcessRawJob = z.infer<typeof ProcessRawJobSchema>;

/** Per-process batcher: payloads of all waiting jobs share transactions (group commit). */
async function batcher(host: JobHost) {
  const [{ RawBatcher }, { BindingCache }] = await Promise.all([import("./coalesce"), import("./bindings")]);
  return host.resource("processing:batcher", () => {
    const pool = getPgPool();
    return new RawBatcher(
      {
        pool,
        redis: getRedis(),
        prefix: host.env.REDIS_NAMESPACE,
        bindings: new BindingCache(pool),
        onNotifications: enqueueDeliveries,
      },
      {
        rowBudget: host.env.PROCESSOR_ROW_BUDGET,
        minPayloads: host.env.PROCESSOR_BATCH,
        parallel: host.env.PROCESSOR_OVERLAP ? 2 : 1,
        overlap: host.env.PROCESSOR_OVERLAP,
      },
    );
  });
}

/**
 * process-raw: jobs are handed to a per-process RawBatcher that commits the payloads of all waiting jobs
 * together, ~PROCESSOR_ROW_BUDGET rows per transaction (PROCESSOR_BATCH payloads at the least); payloads
 * already processed are skipped, so a job re-run after a crash resumes. One id scheme for every producer:
 * `raw-<first id>-<count>[-<round>]`.
 */
export const processRawJob = defineJob({
  queue: "process-raw",
  name: "process",
  schema: ProcessRawJobSchema,
  jobId: (p) => `raw-${p.rawIds[0]}-${p.rawIds.length}${p.round ? `-${p.round}` : ""}`,
  options: DEFAULT_JOB_OPTIONS,
  worker: (host) => ({
    concurrency: Math.min(host.env.WORKER_CONCURRENCY, 8),
    lockDuration: 20_000,
    stalledInterval: 10_000,
  }),
  async handler(payload, job, host) {
    await (await batcher(host)).process(payload.rawIds, payload.reprocess);
    getLogger().debug({ jobId: job.id, payloads: payload.rawIds.length }, "raw batch processed");
    return { payloads: payload.rawIds.length };
  },
});

/** Enqueues freshly stored payloads (a no-op for none). */
export async function enqueueProcessRaw(rawIds: readonly string[]): Promise<void> {
  if (rawIds.length > 0) await enqueue(processRawJob, { rawIds: [...rawIds] });
}

/** Enqueues payloads again in chunks under a round tag (sweeps, replays); ids collapse within one round. */
export async function enqueueProcessRawRound(
  rawIds: readonly string[],
  opts: { round: string; chunk: number; reprocess?: boolean; delayMs?: number },
): Promise<string[]> {
  const items = [];
  for (let i = 0; i < rawIds.length; i += opts.chunk)
    items.push({
      payload: { rawIds: rawIds.slice(i, i + opts.chunk), round: opts.round, reprocess: opts.reprocess },
      delay: opts.delayMs,
    });
  return enqueueMany(processRawJob, items);
}
