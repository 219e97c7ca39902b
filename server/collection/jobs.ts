import { z } from "zod";
import type { Job } from "bullmq";
import { AppError } from "@/domain/errors";
import { errorClassOf } from "@/server/integrations/providers/http";
import { getPgPool } from "@/server/pg";
import { DEFAULT_JOB_OPTIONS, defineJob, enqueueMany, type JobDefinition, type JobHost } from "@/server/jobs/define";
import { getQueue } from "@/server/queues/connection";
import { PROVIDER_KINDS, type ProviderKindName } from "@/server/queues/definitions";
import { providersConfig } from "@/server/integrations/providers/config";
import { getDb } from "@/server/db";
import { getLogger } from "@/server/logger";
import { enqueueProcessRaw } from "@/server/processing/jobs";
import type { CollectProgress } from "./collect";

export const CollectJobSchema = z.object({
  bindingId: z.number().int(),
  /** Window to read (ISO). Absent: from the watermark minus the overlap, to now minus the lag. */
  from: z.string().datetime().optional(),
  to: z.string().datetime().optional(),
  reason: z.enum(["schedule", "backfill", "manual"]),
  /** Schedule and manual jobs: the slot start (or request time) that makes the job id; ignored by the collector. */
  at: z.string().datetime().optional(),
  /** Backfill only: the start the caller asked for, when retention clipped it (shown in the progress view). */
  requestedFrom: z.string().datetime().optional(),
  clippedReason: z.string().max(300).optional(),
});
export type CollectJob = z.infer<typeof CollectJobSchema>;

/** ISO instant without ":" (BullMQ job ids cannot contain it). */
const idTime = (d: Date | number | string) => new Date(d).toISOString().replaceAll(":", "-");

/** The id scheme of collect jobs: the same binding and window always map to the same job, so reruns collapse. */
const collectJobId = {
  poll: (bindingId: number, windowStart: Date | number) => `collect-${bindingId}-${idTime(windowStart)}`,
  sweep: (bindingId: number, windowStart: Date | number) => `collect-${bindingId}-sweep-${idTime(windowStart)}`,
  manual: (bindingId: number, at: Date | number) => `collect-${bindingId}-manual-${idTime(at)}`,
  backfill: (bindingId: number, from: Date, to: Date) => `collect-${bindingId}-backfill-${idTime(from)}-${idTime(to)}`,
};

function jobIdOf(p: CollectJob): string {
  if (p.reason === "backfill" && p.from && p.to)
    return collectJobId.backfill(p.bindingId, new Date(p.from), new Date(p.to));
  if (!p.at) throw new Error(`collect job for binding ${p.bindingId} (${p.reason}) has no "at"`);
  if (p.reason === "manual") return collectJobId.manual(p.bindingId, new Date(p.at));
  return p.from ? collectJobId.sweep(p.bindingId, new Date(p.at)) : collectJobId.poll(p.bindingId, new Date(p.at));
}

const doneChunks = (job: Job) => {
  const p = job.progress as Partial<CollectProgress> | number | undefined;
  return typeof p === "object" && p !== null && typeof p.chunk === "number" ? p.chunk : 0;
};

async function collect(payload: CollectJob, job: Job, host: JobHost): Promise<unknown> {
  const [{ runCollect }, { recordCollectFailure }, { accountPause }] = await Promise.all([
    import("./collect"),
    import("./failures"),
    import("./pause"),
  ]);
  const prisma = getDb();
  try {
    return await runCollect(payload, {
      prisma,
      sql: getPgPool(),
      now: host.now,
      enqueueProcessRaw,
      doneChunks: doneChunks(job),
      onProgress: (p) => job.updateProgress({ ...p }),
    });
  } catch (e) {
    const errorClass = errorClassOf(e);
    if (errorClass === "rate_limited" && AppError.is(e) && e.retryAfterMs) {
      const acc = await prisma.pointBinding.findUnique({
        where: { id: payload.bindingId },
        select: { accountId: true },
      });
      if (acc) await accountPause.set(acc.accountId, e.retryAfterMs);
    }
    const attempts = job.opts.attempts ?? 1;
    const final = errorClass === "permanent" || (errorClass !== "rate_limited" && job.attemptsMade + 1 >= attempts);
    await recordCollectFailure(prisma, {
      bindingId: payload.bindingId,
      errorClass,
      error: e,
      final,
      now: host.now(),
    }).catch((err: unknown) => getLogger().child({ worker: "collector" }).error({ err }, "could not record failure"));
    throw e;
  }
}

function collectJobFor(kind: ProviderKindName) {
  return defineJob({
    queue: `collect-${kind}`,
    name: "collect",
    schema: CollectJobSchema,
    jobId: jobIdOf,
    // Transient failures back off exponentially with ±50 % jitter so a recovering provider is not stampeded.
    options: { ...DEFAULT_JOB_OPTIONS, backoff: { type: "exponential", delay: 2_000, jitter: 0.5 } },
    // One rate-limited worker per provider kind: limiter and concurrency from providers.yaml.
    worker: () => {
      const k = providersConfig().kinds[kind];
      return { concurrency: k.concurrency, limiter: { max: k.rateLimitPerMin, duration: 60_000 } };
    },
    handler: collect,
  });
}

/** One collect queue per provider kind. */
export const collectJobs = Object.fromEntries(PROVIDER_KINDS.map((k) => [k, collectJobFor(k)])) as Record<
  ProviderKindName,
  JobDefinition<typeof CollectJobSchema>
>;

/** The periodic fan-out: one poll (and late sweep) job per active binding and slot (server/collection/scheduler.ts). */
export const collectFanOutJob = defineJob({
  queue: "collect-scheduler",
  name: "fanout",
  schema: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
  jobId: (p) => `collect-fanout-${p.reason}`,
  options: { removeOnComplete: 100, removeOnFail: 100 },
  worker: () => ({ concurrency: 1 }),
  schedule: () => [
    {
      id: "collector-fanout",
      repeat: { every: providersConfig().scheduler.tickMs },
      data: { reason: "schedule" as const },
      options: { removeOnComplete: 100, removeOnFail: 100 },
    },
  ],
  async handler(_payload, _job, host) {
    const { fanOut } = await import("./scheduler");
    return { enqueued: await fanOut(getDb(), host.now()) };
  },
});

export interface CollectEnqueue {
  kind: ProviderKindName;
  data: CollectJob;
  priority?: number;
}

/** addBulk per kind; ids already present are ignored by BullMQ (that is the dedupe). */
export async function enqueueCollectJobs(
  items: readonly CollectEnqueue[],
): Promise<{ kind: ProviderKindName; jobId: string }[]> {
  const ids = new Map<CollectEnqueue, string>();
  for (const kind of PROVIDER_KINDS) {
    const list = items.filter((it) => it.kind === kind);
    const got = await enqueueMany(
      collectJobs[kind],
      list.map((it) => ({ payload: it.data, priority: it.priority })),
    );
    list.forEach((it, i) => ids.set(it, got[i]!));
  }
  return items.map((it) => ({ kind: it.kind, jobId: ids.get(it)! }));
}

/** A collect job by id, searched across the per-kind queues. */
export async function findCollectJob(jobId: string): Promise<{ kind: ProviderKindName; job: Job } | null> {
  for (const kind of PROVIDER_KINDS) {
    const job = await getQueue(collectJobs[kind].queue).getJob(jobId);
    if (job) return { kind, job };
  }
  return null;
}
