import { Queue, Worker, type Job } from "bullmq";
import { AppError } from "@/domain/errors";
import { PROVIDER_KINDS, QUEUES } from "@/server/queues/definitions";
import { queueConnection, queuePrefix } from "@/server/queues/connection";
import { enqueueProcessRaw } from "@/server/queues/producers";
import { providersConfig } from "@/server/integrations/providers/config";
import { errorClassOf } from "@/server/integrations/providers/http";
import { getDb } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { getLogger } from "@/server/logger";
import { createWorker } from "../lib/create-worker";
import { keepJobSchedulers, type KeptSchedulers } from "../lib/job-schedulers";
import type { WorkerKind } from "../registry";
import { runCollect, type CollectProgress } from "./collect";
import { recordCollectFailure } from "./failures";
import { accountPause } from "./pause";
import { fanOut } from "./scheduler";

export const SCHEDULER_QUEUE = "collect-scheduler";

const doneChunks = (job: Job) => {
  const p = job.progress as Partial<CollectProgress> | number | undefined;
  return typeof p === "object" && p !== null && typeof p.chunk === "number" ? p.chunk : 0;
};

/** One rate-limited worker per provider kind (limiter and concurrency from providers.yaml) plus the fan-out scheduler. */
export function startCollectorWorkers(opts: { now?: () => Date; scheduler?: boolean } = {}): {
  workers: Worker[];
  close(): Promise<void>;
} {
  const cfg = providersConfig();
  const now = opts.now ?? (() => new Date());
  const db = getDb();
  const log = getLogger().child({ worker: "collector" });
  const workers: Worker[] = [];

  for (const kind of PROVIDER_KINDS) {
    const k = cfg.kinds[kind];
    const contract = QUEUES.collect(kind);
    const w = createWorker(
      contract,
      async (payload, job) => {
        try {
          return await runCollect(payload, {
            db,
            pool: getPgPool(),
            now,
            enqueueProcessRaw,
            doneChunks: doneChunks(job),
            onProgress: (p) => job.updateProgress({ ...p }),
          });
        } catch (e) {
          const errorClass = errorClassOf(e);
          if (errorClass === "rate_limited" && AppError.is(e) && e.retryAfterMs) {
            const acc = await db.pointBinding.findUnique({
              where: { id: payload.bindingId },
              select: { accountId: true },
            });
            if (acc) await accountPause.set(acc.accountId, e.retryAfterMs);
          }
          const attempts = job.opts.attempts ?? 1;
          const final =
            errorClass === "permanent" || (errorClass !== "rate_limited" && job.attemptsMade + 1 >= attempts);
          await recordCollectFailure(db, {
            bindingId: payload.bindingId,
            errorClass,
            error: e,
            final,
            now: now(),
          }).catch((err: unknown) => log.error({ err }, "could not record failure"));
          throw e;
        }
      },
      { concurrency: k.concurrency, limiter: { max: k.rateLimitPerMin, duration: 60_000 } },
    );
    workers.push(w);
  }

  let schedulerQueue: Queue | null = null;
  let kept: KeptSchedulers | null = null;
  let closing = false;
  if (opts.scheduler !== false) {
    schedulerQueue = new Queue(SCHEDULER_QUEUE, { connection: queueConnection(), prefix: queuePrefix() });
    void keepJobSchedulers(schedulerQueue, [
      {
        id: "collector-fanout",
        repeat: { every: cfg.scheduler.tickMs },
        template: { name: "fanout", opts: { removeOnComplete: 100, removeOnFail: 100 } },
      },
    ])
      .then((k) => {
        kept = k;
        if (closing) k.stop();
      })
      .catch((err: unknown) => log.error({ err }, "could not install the fan-out scheduler"));
    const s = new Worker(SCHEDULER_QUEUE, async () => ({ enqueued: await fanOut(db, now()) }), {
      connection: queueConnection(),
      prefix: queuePrefix(),
      concurrency: 1,
    });
    s.on("error", (err) => log.error({ err }, "scheduler worker error"));
    workers.push(s);
  }

  return {
    workers,
    close: async () => {
      closing = true;
      kept?.stop();
      await Promise.allSettled(workers.map((w) => w.close()));
      await schedulerQueue?.close();
    },
  };
}

export const collectorKind: WorkerKind = {
  start: async () => startCollectorWorkers(),
};

export default collectorKind;
