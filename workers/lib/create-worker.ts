import { DelayedError, UnrecoverableError, Worker, type Job, type WorkerOptions } from "bullmq";
import type { z } from "zod";
import { AppError } from "@/domain/errors";
import { getLogger } from "@/server/logger";
import { queueConnection, queuePrefix } from "@/server/queues/connection";
import { jobMetrics } from "./metrics";

export interface QueueContract<S extends z.ZodType> {
  name: string;
  schema: S;
}

/**
 * Wraps a BullMQ Worker: re-parses the payload against the queue contract, logs with the job id,
 * records metrics, and turns our errors into BullMQ's retry semantics — permanent AppErrors become
 * UnrecoverableError (no retry), rate limits move the job back to delayed until Retry-After.
 */
export function createWorker<S extends z.ZodType>(
  contract: QueueContract<S>,
  handler: (payload: z.infer<S>, job: Job) => Promise<unknown>,
  opts: Partial<WorkerOptions> = {},
): Worker {
  const log = getLogger().child({ queue: contract.name });
  const worker = new Worker(
    contract.name,
    async (job, token) => {
      const parsed = contract.schema.safeParse(job.data);
      if (!parsed.success) {
        log.error({ jobId: job.id, issues: parsed.error.issues }, "invalid job payload");
        throw new UnrecoverableError(`invalid payload for ${contract.name}`);
      }
      const end = jobMetrics.duration.startTimer({ queue: contract.name });
      try {
        const r = await handler(parsed.data, job);
        jobMetrics.done.inc({ queue: contract.name, outcome: "completed" });
        return r;
      } catch (e) {
        if (e instanceof AppError) {
          if (e.retryAfterMs && token) {
            jobMetrics.done.inc({ queue: contract.name, outcome: "rate_limited" });
            await job.moveToDelayed(Date.now() + e.retryAfterMs, token);
            throw new DelayedError();
          }
          jobMetrics.done.inc({ queue: contract.name, outcome: e.retryable ? "retry" : "failed" });
          log.warn({ jobId: job.id, code: e.code, msg: e.message, attempt: job.attemptsMade + 1 }, "job error");
          if (!e.retryable) throw new UnrecoverableError(`${e.code}: ${e.message}`);
          throw e;
        }
        jobMetrics.done.inc({ queue: contract.name, outcome: "retry" });
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
