import type { Job, JobsOptions } from "bullmq";
import { QUEUES, type CollectJob, type ProviderKindName, PROVIDER_KINDS } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";

/** ISO instant without ":" (BullMQ job ids cannot contain it). */
export const idTime = (d: Date | number) => new Date(d).toISOString().replaceAll(":", "-");

/** Deterministic ids: the same binding and window always map to the same job, so reruns collapse. */
export const collectJobId = {
  poll: (bindingId: number, windowStart: Date | number) => `collect-${bindingId}-${idTime(windowStart)}`,
  sweep: (bindingId: number, windowStart: Date | number) => `collect-${bindingId}-sweep-${idTime(windowStart)}`,
  manual: (bindingId: number, at: Date | number) => `collect-${bindingId}-manual-${idTime(at)}`,
  backfill: (bindingId: number, from: Date, to: Date) => `collect-${bindingId}-backfill-${idTime(from)}-${idTime(to)}`,
};

/** Transient failures back off exponentially with ±50 % jitter so a recovering provider is not stampeded. */
export function collectJobOptions(kind: ProviderKindName, jobId: string, priority?: number): JobsOptions {
  const defaults = QUEUES.collect(kind).defaults;
  return {
    ...defaults,
    backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
    jobId,
    ...(priority ? { priority } : {}),
  };
}

export interface CollectEnqueue {
  kind: ProviderKindName;
  data: CollectJob;
  jobId: string;
  priority?: number;
}

/** addBulk per kind; ids already present are ignored by BullMQ (that is the dedupe). */
export async function enqueueCollectJobs(
  items: readonly CollectEnqueue[],
): Promise<{ kind: ProviderKindName; jobId: string }[]> {
  const byKind = new Map<ProviderKindName, CollectEnqueue[]>();
  for (const it of items) byKind.set(it.kind, [...(byKind.get(it.kind) ?? []), it]);
  for (const [kind, list] of byKind) {
    const q = QUEUES.collect(kind);
    await getQueue(q.name).addBulk(
      list.map((it) => ({
        name: "collect",
        data: q.schema.parse(it.data),
        opts: collectJobOptions(kind, it.jobId, it.priority),
      })),
    );
  }
  return items.map((it) => ({ kind: it.kind, jobId: it.jobId }));
}

/** A collect job by id, searched across the per-kind queues. */
export async function findCollectJob(jobId: string): Promise<{ kind: ProviderKindName; job: Job } | null> {
  for (const kind of PROVIDER_KINDS) {
    const job = await getQueue(QUEUES.collect(kind).name).getJob(jobId);
    if (job) return { kind, job };
  }
  return null;
}
