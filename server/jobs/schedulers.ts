import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from "bullmq";
import { getLogger } from "@/server/logger";

export interface SchedulerSpec {
  id: string;
  repeat: Omit<RepeatOptions, "key">;
  template: { name: string; data?: unknown; opts?: JobSchedulerTemplateOptions };
}

/** How often a worker checks that its job schedulers still exist. */
const SCHEDULER_CHECK_EVERY_MS = 15_000;

export interface KeptSchedulers {
  /** Re-creates missing schedulers; returns the ids it re-created. */
  reassert(): Promise<string[]>;
  stop(): void;
}

/**
 * Installs job schedulers and keeps them installed: Redis runs without persistence, so a restart
 * forgets every scheduler and nothing periodic would run again until the workers restart. Missing
 * ones are re-created within `checkEveryMs` (one cheap lookup per scheduler); existing ones are left
 * alone (re-upserting would push back their next run).
 */
export async function keepJobSchedulers(
  queue: Queue,
  specs: readonly SchedulerSpec[],
  opts: { checkEveryMs?: number } = {},
): Promise<KeptSchedulers> {
  const log = getLogger().child({ queue: queue.name });
  const upsert = (s: SchedulerSpec) => queue.upsertJobScheduler(s.id, s.repeat, s.template);
  for (const s of specs) await upsert(s);

  let running: Promise<string[]> | null = null;
  const check = async (): Promise<string[]> => {
    const recreated: string[] = [];
    for (const s of specs) {
      if (await queue.getJobScheduler(s.id)) continue;
      await upsert(s);
      recreated.push(s.id);
    }
    if (recreated.length) log.warn({ recreated }, "job schedulers were missing (Redis restarted?), re-created");
    return recreated;
  };
  const reassert = (): Promise<string[]> => {
    running ??= check().finally(() => {
      running = null;
    });
    return running;
  };
  const quietly = () =>
    void reassert().catch((err: unknown) => log.warn({ err }, "could not re-assert job schedulers"));

  const timer = setInterval(quietly, opts.checkEveryMs ?? SCHEDULER_CHECK_EVERY_MS);
  timer.unref();
  return { reassert, stop: () => clearInterval(timer) };
}
