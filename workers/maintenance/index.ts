import type { WorkerKind } from "@/workers/registry";
import type { WorkerEnv } from "@/workers/env";
import { createWorker } from "@/workers/lib/create-worker";
import { QUEUES, type MaintenanceJobSchema } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { getLogger } from "@/server/logger";
import { addMonths, createPartitionsAhead, dropPartitionsBefore } from "@/server/timeseries/partitions";
import { enqueueDeliveries } from "@/workers/processor/index";
import { sweepOffline } from "./offline";
import { sweepNoDataRules } from "@/server/alert-rules/sweep";
import { sweepRaw } from "./sweep-raw";
import { keepJobSchedulers } from "@/workers/lib/job-schedulers";
import type { z } from "zod";

type MaintenanceJob = z.infer<typeof MaintenanceJobSchema>;
type Task = (job: MaintenanceJob, env: WorkerEnv) => Promise<unknown>;

/** Partitions this far ahead, and retention (months, 0 = keep forever) when the job does not say. */
export const PARTITION_DEFAULTS = { aheadMonths: 3, measurementRetentionMonths: 0, rawRetentionMonths: 13 };

/** Tasks handled here; other modules may add theirs (slots, receipts-sample belong to the DGA module). */
export const MAINTENANCE_TASKS: Partial<Record<MaintenanceJob["task"], Task>> = {
  partitions: async (job) => {
    const pool = getPgPool();
    const now = new Date();
    const created = await createPartitionsAhead(pool, now, job.aheadMonths ?? PARTITION_DEFAULTS.aheadMonths);
    const dropped: string[] = [];
    const m = job.measurementRetentionMonths ?? PARTITION_DEFAULTS.measurementRetentionMonths;
    const r = job.rawRetentionMonths ?? PARTITION_DEFAULTS.rawRetentionMonths;
    if (m > 0) dropped.push(...(await dropPartitionsBefore(pool, "measurement", addMonths(now, -m))));
    if (r > 0) dropped.push(...(await dropPartitionsBefore(pool, "raw_payload", addMonths(now, -r))));
    return { created, dropped };
  },
  offline: async (_job, env) => {
    const res = await sweepOffline(getPgPool(), getRedis(), env.REDIS_NAMESPACE, new Date());
    await enqueueDeliveries(res.pending);
    const silent = await sweepNoDataRules(getPgPool(), new Date());
    await enqueueDeliveries(silent.pending);
    return { offline: res.offline.length, backOnline: res.backOnline.length, noDataRules: silent.fired };
  },
  notifications: async () => {
    // Safety net: deliveries whose enqueue was lost (crash right after commit).
    const r = await getPgPool().query<{ id: number; channel: "email" | "webhook" }>(
      `SELECT id, channel::text AS channel FROM notification WHERE status = 'pending' AND channel IN ('email', 'webhook') AND created_at < now() - interval '2 minutes' LIMIT 1000`,
    );
    await enqueueDeliveries(r.rows);
    return { requeued: r.rows.length };
  },
  "sweep-raw": async (job) => {
    const res = await sweepRaw(
      getPgPool(),
      new Date(),
      job.sweepOlderThanMs === undefined ? {} : { olderThanMs: job.sweepOlderThanMs },
    );
    if (res.requeued) getLogger().warn({ ...res }, "raw payloads without a job re-enqueued");
    return res;
  },
};

const SCHEDULES: { task: MaintenanceJob["task"]; everyMs: number }[] = [
  { task: "partitions", everyMs: 6 * 3600_000 },
  { task: "offline", everyMs: 60_000 },
  { task: "notifications", everyMs: 5 * 60_000 },
  { task: "sweep-raw", everyMs: 60_000 },
];

export const maintenanceKind: WorkerKind = {
  async start(env) {
    const log = getLogger().child({ kind: "maintenance" });
    const q = QUEUES.maintenance;
    const queue = getQueue(q.name);
    const schedulers = await keepJobSchedulers(
      queue,
      SCHEDULES.map((s) => ({
        id: `maintenance-${s.task}`,
        repeat: { every: s.everyMs },
        template: { name: s.task, data: { task: s.task }, opts: { ...q.defaults, attempts: 1 } },
      })),
    );
    const worker = createWorker(
      q,
      async (job) => {
        const task = MAINTENANCE_TASKS[job.task];
        if (!task) {
          log.warn({ task: job.task }, "maintenance task has no handler in this process");
          return { skipped: true };
        }
        return task(job, env);
      },
      { concurrency: 2 },
    );
    return {
      close: async () => {
        schedulers.stop();
        await worker.close();
      },
    };
  },
};
