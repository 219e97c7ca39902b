import type { ProviderKind } from "@/domain/providers/types";
import type { Db } from "@/server/db";
import { enqueueCollectJobs, type CollectEnqueue } from "./jobs";
import { kindConfigFor } from "@/server/integrations/providers/config";
import { slotStart } from "./windows";

/** BullMQ priorities (lower runs first): the schedule beats backfills, so live data is never starved by history. */
const SWEEP_PRIORITY = 5;
export const BACKFILL_PRIORITY = 10;

/**
 * The periodic fan-out: every active binding gets one poll job per pollIntervalSec slot and one
 * late-data sweep per sweep period. Ids are deterministic per binding and slot, so overlapping
 * ticks, restarts and several collector processes all collapse to one job.
 */
export async function planFanOut(prisma: Db, now: Date): Promise<CollectEnqueue[]> {
  const bindings = await prisma.pointBinding.findMany({
    // Push-only accounts and bindings receive their data by webhook/action/MQTT: never polled, so no credential errors.
    where: {
      active: true,
      pushOnly: false,
      account: { active: true, pushOnly: false },
      point: { status: { not: "inactive" } },
    },
    select: { id: true, pollIntervalSec: true, account: { select: { kind: true, settings: true } } },
  });
  const jobs: CollectEnqueue[] = [];
  for (const b of bindings) {
    const kind = b.account.kind as ProviderKind;
    const cfg = kindConfigFor(kind, b.account.settings as Record<string, unknown> | null);
    const poll = slotStart(now, Math.max(30, b.pollIntervalSec) * 1000);
    jobs.push({ kind, data: { bindingId: b.id, reason: "schedule", at: poll.toISOString() } });
    if (cfg.lateWindowMs > cfg.overlapMs) {
      const sweep = slotStart(now, cfg.lateSweepEveryMs);
      const to = new Date(sweep.getTime() - cfg.lagMs);
      const from = new Date(to.getTime() - cfg.lateWindowMs);
      jobs.push({
        kind,
        data: {
          bindingId: b.id,
          reason: "schedule",
          at: sweep.toISOString(),
          from: from.toISOString(),
          to: to.toISOString(),
        },
        priority: SWEEP_PRIORITY,
      });
    }
  }
  return jobs;
}

export async function fanOut(prisma: Db, now: Date): Promise<number> {
  const jobs = await planFanOut(prisma, now);
  await enqueueCollectJobs(jobs);
  return jobs.length;
}
