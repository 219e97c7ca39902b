import pg from "pg";
import { z } from "zod";
import { AppError } from "@/domain/errors";
import { DEFAULT_JOB_OPTIONS, defineJob, enqueueMany, type JobHost } from "@/server/jobs/define";
import { startJobs, type RunningJobs } from "@/server/jobs/worker";
import { getLogger } from "@/server/logger";
import { dgaConfig, type DgaConfig } from "./config";
import type { PlannedSend } from "./plan";

export const DGA_CYCLE_SCHEDULER_ID = "dga-cycle-every-minute";
const DGA_CYCLE_EVERY_MS = 60_000;
const DEFAULT_SUBMIT_CONCURRENCY = 96;

/** What the DGA jobs of one process share: their own pool (sized for the POST concurrency) and config. */
export interface DgaRuntime {
  pool: pg.Pool;
  cfg: DgaConfig;
  /** Concurrent POSTs per process; per-obra exclusivity is enforced by the DB claim, not by this. */
  submitConcurrency: number;
  cycleEveryMs: number;
}

const RUNTIME = "dga:runtime";

function runtime(host: JobHost): DgaRuntime {
  return host.resource(
    RUNTIME,
    () => {
      const pool = new pg.Pool({ connectionString: host.env.DATABASE_URL, max: 24 });
      pool.on("error", () => {});
      pool.on("connect", (client) => client.on("error", () => {})); // see server/pg.ts
      return {
        pool,
        cfg: dgaConfig({ workerId: `${host.env.WORKER_ID}-dga` }),
        submitConcurrency: Math.max(DEFAULT_SUBMIT_CONCURRENCY, host.env.WORKER_CONCURRENCY),
        cycleEveryMs: DGA_CYCLE_EVERY_MS,
      };
    },
    (r) => r.pool.end(),
  );
}

/** Sends one slot per job. Ids `dga-<slotId>-<attempt>`: a re-plan of the same attempt collapses onto the queued job. */
export const dgaSubmitJob = defineJob({
  queue: "dga-submit",
  name: "submit",
  schema: z.object({ slotId: z.string(), attempt: z.number().int().min(0).optional() }),
  jobId: (p) => `dga-${p.slotId}-${p.attempt ?? 0}`,
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 3, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  worker: (host) => ({ concurrency: runtime(host).submitConcurrency }),
  onStart(host) {
    const { cfg } = runtime(host);
    const log = getLogger().child({ worker: cfg.workerId, kind: "dga" });
    if (!cfg.submissionEnabled)
      log.warn("DGA_SUBMISSION_ENABLED=false: slots are filled and validated, nothing is sent");
    if (!cfg.centroControlRut)
      log.error("DGA_CENTRO_CONTROL_RUT is not set: every point stays blocked (centro_control_missing)");
  },
  async handler({ slotId }, _job, host) {
    const { submitSlot } = await import("./submit");
    const { pool, cfg } = runtime(host);
    const r = await submitSlot(pool, slotId, new Date(), cfg);
    if (r.kind === "wait")
      throw new AppError("RATE_LIMITED", "obra spacing (§6.1)", {
        retryAfterMs: Math.max(1_000, r.untilMs - Date.now()),
      });
    return r;
  },
});

/** Per-slot submission jobs, each delayed until its planned send time. */
export async function enqueueSubmissions(planned: readonly PlannedSend[], nowMs: number = Date.now()): Promise<void> {
  await enqueueMany(
    dgaSubmitJob,
    planned.map((p) => ({
      payload: { slotId: p.slotId, attempt: p.attempts },
      delay: p.sendAt.getTime() - nowMs,
    })),
  );
}

/** The periodic cycle (concurrency 1, one scheduler id for every process): creates, fills, reconciles and plans. */
export const dgaCycleJob = defineJob({
  queue: "dga-cycle",
  name: "cycle",
  schema: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  jobId: (p) => `dga-cycle-${p.reason}`,
  options: { removeOnComplete: 100, removeOnFail: 100 },
  worker: () => ({ concurrency: 1 }),
  schedule: (host) => [
    {
      id: DGA_CYCLE_SCHEDULER_ID,
      repeat: { every: runtime(host).cycleEveryMs },
      data: { reason: "schedule" as const },
      options: { removeOnComplete: 100, removeOnFail: 100 },
    },
  ],
  async handler(_payload, _job, host) {
    const { runCycle } = await import("./cycle");
    const { pool, cfg } = runtime(host);
    const now = new Date();
    const summary = await runCycle({
      pool,
      now,
      cfg,
      dispatch: (p) => enqueueSubmissions(p, now.getTime()),
      sampleReceipts: true,
    });
    getLogger().child({ worker: cfg.workerId, kind: "dga" }).info({ summary }, "dga cycle");
    return summary;
  },
});

/** Tests and benchmarks: the DGA jobs on a host with a given pool and config (the caller closes the pool). */
export async function startDgaWorkers(
  host: JobHost,
  rt: Omit<DgaRuntime, "cycleEveryMs"> & { cycleEveryMs?: number },
  opts: { cycle: boolean },
): Promise<RunningJobs> {
  const given = { ...rt, cycleEveryMs: rt.cycleEveryMs ?? DGA_CYCLE_EVERY_MS };
  if (host.resource(RUNTIME, () => given) !== given) throw new Error("this host already runs DGA jobs");
  return startJobs(opts.cycle ? [dgaSubmitJob, dgaCycleJob] : [dgaSubmitJob], host);
}
