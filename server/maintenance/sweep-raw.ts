import type pg from "pg";
import { enqueueMany } from "@/server/jobs/define";
import { processRawJob, type ProcessRawJob } from "@/server/processing/jobs";

/**
 * "Raw first" safety net: a payload stored in PostgreSQL must be processed even when its
 * process-raw job is gone (Redis restarted without persistence, enqueue failed after the insert).
 * The processor skips payloads already processed, so re-enqueueing one that still has a live job is harmless.
 */
const SWEEP_RAW_DEFAULTS = {
  /** Younger payloads most likely still have their job queued or running. */
  olderThanMs: 2 * 60_000,
  /** Older payloads are not looked at: keeps the scan on recent partitions (a payload gets ~10 000 sweeps before that). */
  lookbackMs: 7 * 24 * 3600_000,
  maxPayloadsPerRun: 5_000,
  payloadsPerJob: 50,
};

export type SweepOptions = typeof SWEEP_RAW_DEFAULTS;

/**
 * process-raw payloads in the sweep's round `sweep-<minute>`: their ids never collide with the live jobs
 * of the same payloads (kept an hour after completion), and two sweeps in one minute collapse.
 */
export function sweepJobs(ids: readonly string[], now: Date, payloadsPerJob: number): ProcessRawJob[] {
  const round = `sweep-${Math.floor(now.getTime() / 60_000)}`;
  const jobs: ProcessRawJob[] = [];
  for (let i = 0; i < ids.length; i += payloadsPerJob) jobs.push({ rawIds: ids.slice(i, i + payloadsPerJob), round });
  return jobs;
}

async function findUnprocessedRaw(
  sql: pg.Pool,
  now: Date,
  opts: Pick<SweepOptions, "olderThanMs" | "lookbackMs" | "maxPayloadsPerRun">,
): Promise<string[]> {
  const r = await sql.query<{ id: string }>(
    `SELECT id::text AS id FROM raw_payload
     WHERE status = 'accepted' AND processed_at IS NULL AND received_at < $1 AND received_at >= $2
     ORDER BY id LIMIT $3`,
    [new Date(now.getTime() - opts.olderThanMs), new Date(now.getTime() - opts.lookbackMs), opts.maxPayloadsPerRun],
  );
  return r.rows.map((x) => x.id);
}

async function enqueueSweepJobs(jobs: readonly ProcessRawJob[]): Promise<void> {
  await enqueueMany(
    processRawJob,
    jobs.map((payload) => ({ payload })),
  );
}

export async function sweepRaw(
  sql: pg.Pool,
  now: Date,
  over: Partial<SweepOptions> = {},
  enqueue: (jobs: readonly ProcessRawJob[]) => Promise<void> = enqueueSweepJobs,
): Promise<{ requeued: number; jobs: number }> {
  const opts = { ...SWEEP_RAW_DEFAULTS, ...over };
  const ids = await findUnprocessedRaw(sql, now, opts);
  const jobs = sweepJobs(ids, now, opts.payloadsPerJob);
  await enqueue(jobs);
  return { requeued: ids.length, jobs: jobs.length };
}
