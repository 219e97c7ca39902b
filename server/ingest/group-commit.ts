import { getPgPool } from "@/server/pg";
import { enqueueProcessRaw } from "@/server/processing/jobs";
import { insertRawPayloads, type RawPayloadInput } from "./raw-store";

interface Pending {
  row: RawPayloadInput;
  resolve: (id: string) => void;
  reject: (e: unknown) => void;
}

/** Concurrent flushes (each one INSERT + one BullMQ add); more requests wait and join the next batch. */
const MAX_INFLIGHT = 4;
const MAX_BATCH = 500;

const queue: Pending[] = [];
let inflight = 0;
let scheduled = false;

async function flush(): Promise<void> {
  scheduled = false;
  const batch = queue.splice(0, MAX_BATCH);
  if (batch.length === 0) return;
  inflight++;
  try {
    const ids = await insertRawPayloads(
      getPgPool(),
      batch.map((p) => p.row),
    );
    await enqueueProcessRaw(ids.filter((_id, i) => batch[i]!.row.status !== "rejected"));
    batch.forEach((p, i) => p.resolve(ids[i]!));
  } catch (e) {
    for (const p of batch) p.reject(e);
  } finally {
    inflight--;
    schedule();
  }
}

function schedule(): void {
  if (scheduled || queue.length === 0 || inflight >= MAX_INFLIGHT) return;
  scheduled = true;
  setImmediate(() => void flush());
}

/**
 * Group commit for pushed payloads: requests arriving together share one multi-row INSERT and one
 * process-raw job. Each caller still gets its own raw id only after its row is stored and
 * enqueued, so a 202 always means durable; under light load a batch is a single request.
 */
export function storeAndEnqueue(row: RawPayloadInput): Promise<string> {
  return new Promise((resolve, reject) => {
    queue.push({ row, resolve, reject });
    schedule();
  });
}
