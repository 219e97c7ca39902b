import type { WorkerKind } from "@/workers/registry";
import { createWorker } from "@/workers/lib/create-worker";
import { QUEUES } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { getLogger } from "@/server/logger";
import { BindingCache } from "./bindings";
import { processRawBatch, type PipelineDeps } from "./pipeline";
import type { PendingDelivery } from "@/server/notifications/fanout";

/** Enqueues delivery of pending email/webhook notifications; job ids make re-enqueueing a no-op. */
export async function enqueueDeliveries(pending: readonly PendingDelivery[]): Promise<void> {
  if (pending.length === 0) return;
  const q = QUEUES.notify;
  await getQueue(q.name).addBulk(pending.map((p) => ({ name: "deliver", data: q.schema.parse({ notificationId: p.id }), opts: { ...q.defaults, jobId: `notification-${p.id}` } })));
}

/**
 * process-raw consumer. A job's rawIds are processed in chunks of PROCESSOR_BATCH payloads, one
 * transaction each; payloads already processed are skipped, so a job re-run after a crash resumes.
 */
export const processorKind: WorkerKind = {
  async start(env) {
    const log = getLogger().child({ kind: "processor" });
    const deps: PipelineDeps = { pool: getPgPool(), redis: getRedis(), prefix: env.QUEUE_PREFIX, bindings: new BindingCache(getPgPool()), onNotifications: enqueueDeliveries };
    const worker = createWorker(
      QUEUES.processRaw,
      async (payload, job) => {
        const totals = { rows: 0, inserted: 0, rejected: 0, skipped: 0 };
        for (let i = 0; i < payload.rawIds.length; i += env.PROCESSOR_BATCH) {
          const s = await processRawBatch(deps, payload.rawIds.slice(i, i + env.PROCESSOR_BATCH), { reprocess: payload.reprocess });
          totals.rows += s.rows;
          totals.inserted += s.inserted;
          totals.rejected += s.rejected;
          totals.skipped += s.skipped;
        }
        log.debug({ jobId: job.id, ...totals }, "raw batch processed");
        return totals;
      },
      { concurrency: Math.min(env.WORKER_CONCURRENCY, 8), lockDuration: 20_000, stalledInterval: 10_000 },
    );
    return { close: () => worker.close() };
  },
};
