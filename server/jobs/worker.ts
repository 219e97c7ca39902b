import { DelayedError, UnrecoverableError, Worker, type Job, type WorkerOptions } from "bullmq";
import type { z } from "zod";
import { AppError } from "@/domain/errors";
import { getLogger } from "@/server/logger";
import { getQueue, queueConnection, queuePrefix } from "@/server/queues/connection";
import { jobMetrics } from "./metrics";
import type { AnyJob, JobHost, JobHostEnv } from "./define";
import { keepJobSchedulers, type KeptSchedulers } from "./schedulers";

interface QueueContract<S extends z.ZodType> {
  queue: string;
  schema: S;
}

/**
 * Wraps a BullMQ Worker: re-parses the payload against the queue contract, logs with the job id,
 * records metrics, and turns our errors into BullMQ's retry semantics — permanent AppErrors become
 * UnrecoverableError (no retry), rate limits move the job back to delayed until Retry-After.
 */
function createWorker<S extends z.ZodType>(
  contract: QueueContract<S>,
  handler: (payload: z.infer<S>, job: Job) => Promise<unknown>,
  opts: Partial<WorkerOptions> = {},
): Worker {
  const log = getLogger().child({ queue: contract.queue });
  const worker = new Worker(
    contract.queue,
    async (job, token) => {
      const parsed = contract.schema.safeParse(job.data);
      if (!parsed.success) {
        log.error({ jobId: job.id, issues: parsed.error.issues }, "invalid job payload");
        throw new UnrecoverableError(`invalid payload for ${contract.queue}`);
      }
      const end = jobMetrics.duration.startTimer({ queue: contract.queue });
      try {
        const r = await handler(parsed.data, job);
        jobMetrics.done.inc({ queue: contract.queue, outcome: "completed" });
        return r;
      } catch (e) {
        if (e instanceof AppError) {
          if (e.retryAfterMs && token) {
            jobMetrics.done.inc({ queue: contract.queue, outcome: "rate_limited" });
            await job.moveToDelayed(Date.now() + e.retryAfterMs, token);
            throw new DelayedError();
          }
          jobMetrics.done.inc({ queue: contract.queue, outcome: e.retryable ? "retry" : "failed" });
          log.warn({ jobId: job.id, code: e.code, msg: e.message, attempt: job.attemptsMade + 1 }, "job error");
          if (!e.retryable) throw new UnrecoverableError(`${e.code}: ${e.message}`);
          throw e;
        }
        jobMetrics.done.inc({ queue: contract.queue, outcome: "retry" });
        log.error({ jobId: job.id, err: e }, "job crashed");
        throw e;
      } finally {
        end();
      }
    },
    { connection: queueConnection(), prefix: queuePrefix(), concurrency: 4, ...opts },
  );
  worker.on("error", (err) => log.error({ err }, "worker error"));
  return worker;
}

/** A host for tests and for workers/main.ts: resources are made on first use and closed by stop(). */
export function createJobHost(env: JobHostEnv, opts: { now?: () => Date } = {}): JobHost & { stop(): Promise<void> } {
  const made = new Map<string, { value: unknown; close?: (v: never) => Promise<void> | void }>();
  return {
    env,
    now: opts.now ?? (() => new Date()),
    resource<T>(key: string, make: () => T, close?: (value: T) => Promise<void> | void): T {
      const hit = made.get(key);
      if (hit) return hit.value as T;
      const value = make();
      made.set(key, { value, close: close as ((v: never) => Promise<void> | void) | undefined });
      return value;
    },
    async stop() {
      const all = [...made.values()];
      made.clear();
      await Promise.allSettled(all.map((r) => r.close?.(r.value as never)));
    },
  };
}

export interface RunningJobs {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts one worker per definition and installs its schedules. close() stops the schedule checks, then
 * waits for every worker to finish its in-flight jobs.
 */
export async function startJobs(jobs: readonly AnyJob[], host: JobHost): Promise<RunningJobs> {
  const workers: Worker[] = [];
  const kept: KeptSchedulers[] = [];
  for (const def of jobs) {
    await def.onStart?.(host);
    workers.push(createWorker(def, (payload, job) => def.handler(payload, job, host), def.worker?.(host)));
    const specs = def.schedule?.(host) ?? [];
    if (specs.length === 0) continue;
    kept.push(
      await keepJobSchedulers(
        getQueue(def.queue),
        specs.map((s) => ({
          id: s.id,
          repeat: s.repeat,
          template: { name: s.name ?? def.name, data: s.data, opts: s.options },
        })),
      ),
    );
  }
  return {
    workers,
    async close() {
      for (const k of kept) k.stop();
      await Promise.allSettled(workers.map((w) => w.close()));
    },
  };
}
