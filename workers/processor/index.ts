import type { WorkerKind } from "@/workers/registry";
import { createWorker } from "@/workers/lib/create-worker";
import { QUEUES } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { getLogger } from "@/server/logger";
import { BindingCache } from "./bindings";
import type { PipelineDeps } from "./pipeline";
import { RawBatcher } from "./coalesce";
import type { PendingDelivery } from "@/server/notifications/fanout";

/** Enqueues delivery of pending email/webhook notifications; job ids make re-enqueueing a no-op. */
export async function enqueueDeliveries(pending: readonly PendingDelivery[]): Promise<void> {
  if (pending.length === 0) return;
  const q = QUEUES.notify;
  await getQueue(q.name).addBulk(
    pending.map((p) => ({
      name: "deliver",
      data: q.schema.parse({ notificationId: p.id }),
      opts: { ...q.defaults, jobId: `notification-${p.id}` },
    })),
  );
}

/**
 * process-raw consumer. Jobs are handed to a per-process RawBatcher that commits the payloads of all
 * waiting jobs together, ~PROCESSOR_ROW_BUDGET rows per transaction (PROCESSOR_BATCH payloads at the least);
 * payloads already processed are skipped, so a job re-run after a crash resumes.
 */
export const processorKind: WorkerKind = {
  async start(env) {
    const log = getLogger().child({ kind: "processor" });
    const deps: PipelineDeps = {
      pool: getPgPool(),
      redis: getRedis(),
      prefix: env.REDIS_NAMESPACE,
      bindings: new BindingCache(getPgPool()),
      onNotifications: enqueueDeliveries,
    };
    const batcher = new RawBatcher(deps, {
      rowBudget: env.PROCESSOR_ROW_BUDGET,
      minPayloads: env.PROCESSOR_BATCH,
      parallel: 1,
    });
    const worker = createWorker(
      QUEUES.processRaw,
      async (payload, job) => {
        await batcher.process(payload.rawIds, payload.reprocess);
        log.debug({ jobId: job.id, payloads: payload.rawIds.length }, "raw batch processed");
        return { payloads: payload.rawIds.length };
      },
      { concurrency: Math.min(env.WORKER_CONCURRENCY, 8), lockDuration: 20_000, stalledInterval: 10_000 },
    );
    return { close: () => worker.close() };
  },
};
