import { QUEUES, type CollectJob, type ProviderKindName } from "./definitions";
import { getQueue } from "./connection";

/** Typed enqueue helpers; job ids are deterministic so reruns and retries collapse. */
export async function enqueueProcessRaw(
  rawIds: string[],
  replay?: { reprocess: true; delayMs: number; tag: string },
): Promise<void> {
  if (rawIds.length === 0) return;
  const q = QUEUES.processRaw;
  if (replay) {
    await getQueue(q.name).add("process", q.schema.parse({ rawIds, reprocess: true }), {
      ...q.defaults,
      jobId: `replay-${replay.tag}`,
      delay: replay.delayMs,
    });
    return;
  }
  await getQueue(q.name).add("process", q.schema.parse({ rawIds }), {
    ...q.defaults,
    jobId: `raw-${rawIds[0]}-${rawIds.length}`,
  });
}

export async function enqueueCollect(
  kind: ProviderKindName,
  job: CollectJob,
  jobId: string,
  opts: { priority?: number } = {},
): Promise<void> {
  const q = QUEUES.collect(kind);
  await getQueue(q.name).add("collect", q.schema.parse(job), { ...q.defaults, jobId, ...opts });
}
