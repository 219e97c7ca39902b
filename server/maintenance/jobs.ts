import { z } from "zod";
import { DEFAULT_JOB_OPTIONS, defineJob, type JobHost } from "@/server/jobs/define";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { getLogger } from "@/server/logger";
import { enqueueDeliveries } from "@/server/notifications/jobs";

const TASKS = ["partitions", "offline", "notifications", "sweep-raw"] as const;

export const MaintenanceJobSchema = z.object({
  task: z.enum(TASKS),
  /** partitions: months created ahead; retention in months for measurement / raw_payload (0 = keep forever). */
  aheadMonths: z.number().int().min(0).max(24).optional(),
  measurementRetentionMonths: z.number().int().min(0).optional(),
  rawRetentionMonths: z.number().int().min(0).optional(),
  /** sweep-raw: re-enqueue accepted, unprocessed payloads received longer ago than this (default 2 min). */
  sweepOlderThanMs: z.number().int().min(0).optional(),
});
export type MaintenanceJob = z.infer<typeof MaintenanceJobSchema>;

/** Partitions this far ahead, and retention (months, 0 = keep forever) when the job does not say. */
export const PARTITION_DEFAULTS = { aheadMonths: 3, measurementRetentionMonths: 0, rawRetentionMonths: 13 };

const EVERY_MS: Record<MaintenanceJob["task"], number> = {
  partitions: 6 * 3600_000,
  offline: 60_000,
  notifications: 5 * 60_000,
  "sweep-raw": 60_000,
};

/** One handler per task; the schema accepts exactly these. */
const TASK_HANDLERS: Record<MaintenanceJob["task"], (job: MaintenanceJob, host: JobHost) => Promise<unknown>> = {
  async partitions(job, host) {
    const { addMonths, createPartitionsAhead, dropPartitionsBefore } = await import("@/server/timeseries/partitions");
    const sql = getPgPool();
    const now = host.now();
    const created = await createPartitionsAhead(sql, now, job.aheadMonths ?? PARTITION_DEFAULTS.aheadMonths);
    const dropped: string[] = [];
    const m = job.measurementRetentionMonths ?? PARTITION_DEFAULTS.measurementRetentionMonths;
    const r = job.rawRetentionMonths ?? PARTITION_DEFAULTS.rawRetentionMonths;
    if (m > 0) dropped.push(...(await dropPartitionsBefore(sql, "measurement", addMonths(now, -m))));
    if (r > 0) dropped.push(...(await dropPartitionsBefore(sql, "raw_payload", addMonths(now, -r))));
    return { created, dropped };
  },
  async offline(_job, host) {
    const [{ sweepOffline }, { sweepNoDataRules }] = await Promise.all([
      import("./offline"),
      import("@/server/alert-rules/sweep"),
    ]);
    const res = await sweepOffline(getPgPool(), getRedis(), host.env.REDIS_NAMESPACE, host.now());
    await enqueueDeliveries(res.pending);
    const silent = await sweepNoDataRules(getPgPool(), host.now());
    await enqueueDeliveries(silent.pending);
    return { offline: res.offline.length, backOnline: res.backOnline.length, noDataRules: silent.fired };
  },
  async notifications() {
    // Safety net: deliveries whose enqueue was lost (crash right after commit).
    const r = await getPgPool().query<{ id: number; channel: "email" | "webhook" }>(
      `SELECT id, channel::text AS channel FROM notification WHERE status = 'pending' AND channel IN ('email', 'webhook') AND created_at < now() - interval '2 minutes' LIMIT 1000`,
    );
    await enqueueDeliveries(r.rows);
    return { requeued: r.rows.length };
  },
  async "sweep-raw"(job, host) {
    const { sweepRaw } = await import("./sweep-raw");
    const res = await sweepRaw(
      getPgPool(),
      host.now(),
      job.sweepOlderThanMs === undefined ? {} : { olderThanMs: job.sweepOlderThanMs },
    );
    if (res.requeued) getLogger().warn({ ...res }, "raw payloads without a job re-enqueued");
    return res;
  },
};

/** Periodic housekeeping: each task runs from its own scheduler (`maintenance-<task>`), one attempt per run. */
export const maintenanceJob = defineJob({
  queue: "maintenance",
  name: "maintenance",
  schema: MaintenanceJobSchema,
  jobId: (p) => `maintenance-${p.task}-manual`,
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
  worker: () => ({ concurrency: 2 }),
  schedule: () =>
    TASKS.map((task) => ({
      id: `maintenance-${task}`,
      repeat: { every: EVERY_MS[task] },
      name: task,
      data: { task },
      options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
    })),
  handler: (job, _bullJob, host) => TASK_HANDLERS[job.task](job, host),
});
