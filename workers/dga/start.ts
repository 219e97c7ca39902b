import type pg from "pg";
import type { Worker } from "bullmq";
import { AppError } from "@/domain/errors";
import { getLogger } from "@/server/logger";
import { getQueue } from "@/server/queues/connection";
import { QUEUES } from "@/server/queues/definitions";
import type { DgaConfig } from "@/server/dga/config";
import { runCycle } from "@/server/dga/cycle";
import { DGA_CYCLE_EVERY_MS, DGA_CYCLE_QUEUE, DGA_CYCLE_SCHEDULER_ID, enqueueSubmissions } from "@/server/dga/queue";
import { submitSlot } from "@/server/dga/submit";
import { createWorker } from "../lib/create-worker";
import { keepJobSchedulers, type KeptSchedulers } from "../lib/job-schedulers";

export interface DgaWorkersOptions {
  pool: pg.Pool;
  cfg: DgaConfig;
  /** Concurrent POSTs per process; per-obra exclusivity is enforced by the DB claim, not by this. */
  submitConcurrency: number;
  /** Register the periodic cycle (BullMQ job scheduler, deterministic id) and run its worker. */
  cycle: boolean;
  cycleEveryMs?: number;
}

/**
 * The DGA worker kind: a cycle worker (concurrency 1, driven by a job scheduler) that creates, fills,
 * reconciles and plans; and a submission worker that sends one slot per job.
 */
export async function startDgaWorkers(
  opts: DgaWorkersOptions,
): Promise<{ close(): Promise<void>; submit: Worker; cycle: Worker | null }> {
  const log = getLogger().child({ worker: opts.cfg.workerId, kind: "dga" });
  if (!opts.cfg.submissionEnabled)
    log.warn("DGA_SUBMISSION_ENABLED=false: slots are filled and validated, nothing is sent");
  if (!opts.cfg.centroControlRut)
    log.error("DGA_CENTRO_CONTROL_RUT is not set: every point stays blocked (centro_control_missing)");

  const submit = createWorker(
    QUEUES.dgaSubmit,
    async ({ slotId }) => {
      const r = await submitSlot(opts.pool, slotId, new Date(), opts.cfg);
      if (r.kind === "wait")
        throw new AppError("RATE_LIMITED", "obra spacing (§6.1)", {
          retryAfterMs: Math.max(1_000, r.untilMs - Date.now()),
        });
      return r;
    },
    { concurrency: opts.submitConcurrency },
  );

  let cycle: Worker | null = null;
  let kept: KeptSchedulers | null = null;
  if (opts.cycle) {
    kept = await keepJobSchedulers(getQueue(DGA_CYCLE_QUEUE.name), [
      {
        id: DGA_CYCLE_SCHEDULER_ID,
        repeat: { every: opts.cycleEveryMs ?? DGA_CYCLE_EVERY_MS },
        template: { name: "cycle", data: { reason: "schedule" }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      },
    ]);
    cycle = createWorker(
      DGA_CYCLE_QUEUE,
      async () => {
        const now = new Date();
        const summary = await runCycle({
          pool: opts.pool,
          now,
          cfg: opts.cfg,
          dispatch: (p) => enqueueSubmissions(p, now.getTime()),
          sampleReceipts: true,
        });
        log.info({ summary }, "dga cycle");
        return summary;
      },
      { concurrency: 1 },
    );
  }
  return {
    submit,
    cycle,
    async close() {
      kept?.stop();
      await Promise.all([submit.close(), cycle?.close()]);
    },
  };
}
