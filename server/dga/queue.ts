import { z } from "zod";
import { QUEUES } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";
import type { PlannedSend } from "./plan";

export const DGA_CYCLE_QUEUE = {
  name: "dga-cycle",
  schema: z.object({ reason: z.enum(["schedule", "manual"]).default("schedule") }),
} as const;
export const DGA_CYCLE_SCHEDULER_ID = "dga-cycle-every-minute";
export const DGA_CYCLE_EVERY_MS = 60_000;

/** Per-slot jobs with deterministic ids `dga-${slotId}-${attempt}`: a re-plan of the same attempt collapses onto the queued job. */
export async function enqueueSubmissions(planned: readonly PlannedSend[], nowMs: number = Date.now()): Promise<void> {
  if (planned.length === 0) return;
  const q = QUEUES.dgaSubmit;
  await getQueue(q.name).addBulk(
    planned.map((p) => ({
      name: "submit",
      data: q.schema.parse({ slotId: p.slotId }),
      opts: {
        ...q.defaults,
        jobId: `dga-${p.slotId}-${p.attempts}`,
        delay: Math.max(0, p.sendAt.getTime() - nowMs),
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    })),
  );
}
