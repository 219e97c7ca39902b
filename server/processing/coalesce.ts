import { commitPreparedBatch, prepareRawBatch, processRawBatch, type BatchStats, type PipelineDeps } from "./pipeline";

/*
 * Group commit for process-raw jobs: the payloads of all jobs waiting in this process are processed
 * together, up to a row budget per transaction, instead of one small transaction per job chunk. Fewer,
 * larger transactions amortise the per-batch statements (locks, window load, rollups, marks) and keep
 * fewer batches in memory at once. A job settles only after every payload of it is committed; when a
 * shared batch fails, its jobs are retried one by one so a bad job cannot fail the others.
 */

export interface CoalesceOptions {
  /** Target rows per transaction; converted to payloads with the running rows-per-payload average. */
  rowBudget: number;
  /** Payloads per transaction at the least, whatever the row estimate. */
  minPayloads: number;
  /** Batches in flight per process (one is parsing while another waits on PostgreSQL). */
  parallel: number;
  /**
   * Overlap: batches load and parse freely but commit one at a time, in order, so the next batch is parsed
   * while the current one is in its transaction (COPY) instead of both competing for PostgreSQL.
   */
  overlap?: boolean;
}

interface Part {
  ids: string[];
  job: JobState;
}

interface JobState {
  reprocess: boolean;
  left: number;
  failed: boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class RawBatcher {
  private readonly queue: Part[] = [];
  private running = 0;
  private rowsPerPayload = 100;
  /** Tail of the commit chain (overlap mode): the next commit starts after it settles. */
  private committing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly opts: CoalesceOptions,
  ) {}

  private payloadBudget(): number {
    return Math.max(
      this.opts.minPayloads,
      Math.min(5_000, Math.floor(this.opts.rowBudget / Math.max(1, this.rowsPerPayload))),
    );
  }

  /** Resolves once every payload of the job is committed (or skipped as already processed). */
  process(rawIds: readonly string[], reprocess = false): Promise<void> {
    if (rawIds.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const job: JobState = { reprocess, left: 0, failed: false, resolve, reject };
      const size = this.payloadBudget();
      for (let i = 0; i < rawIds.length; i += size) {
        this.queue.push({ ids: rawIds.slice(i, i + size), job });
        job.left++;
      }
      this.kick();
    });
  }

  private kick(): void {
    while (this.running < this.opts.parallel && this.queue.length) {
      const parts = this.take();
      this.running++;
      void this.run(parts).finally(() => {
        this.running--;
        this.kick();
      });
    }
  }

  /** Parts of the same reprocess mode from the head of the queue, up to the payload budget. */
  private take(): Part[] {
    const budget = this.payloadBudget();
    const mode = this.queue[0]!.job.reprocess;
    const out: Part[] = [];
    let n = 0;
    for (let i = 0; i < this.queue.length && n < budget;) {
      const p = this.queue[i]!;
      if (p.job.reprocess !== mode || (out.length && n + p.ids.length > budget)) {
        i++;
        continue;
      }
      out.push(p);
      n += p.ids.length;
      this.queue.splice(i, 1);
    }
    return out;
  }

  private async batch(ids: readonly string[], reprocess: boolean): Promise<BatchStats> {
    if (!this.opts.overlap) return processRawBatch(this.deps, ids, { reprocess });
    const prepared = await prepareRawBatch(this.deps, ids, { reprocess });
    const turn = this.committing.then(() => commitPreparedBatch(this.deps, prepared));
    this.committing = turn.catch(() => {});
    return turn;
  }

  private async run(parts: Part[]): Promise<void> {
    const ids = parts.flatMap((p) => p.ids);
    try {
      const s = await this.batch(ids, parts[0]!.job.reprocess);
      const done = s.raws - s.skipped;
      if (done > 0) this.rowsPerPayload = 0.7 * this.rowsPerPayload + 0.3 * (s.rows / done);
      for (const p of parts) settle(p.job, null);
    } catch (e) {
      if (parts.length === 1) return settle(parts[0]!.job, e);
      for (const p of parts) {
        try {
          await processRawBatch(this.deps, p.ids, { reprocess: p.job.reprocess });
          settle(p.job, null);
        } catch (err) {
          settle(p.job, err);
        }
      }
    }
  }
}

function settle(job: JobState, err: unknown): void {
  if (job.failed) return;
  if (err !== null) {
    job.failed = true;
    job.reject(err);
    return;
  }
  if (--job.left === 0) job.resolve();
}
