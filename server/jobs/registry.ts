import { collectFanOutJob, collectJobs } from "@/server/collection/jobs";
import { dgaCycleJob, dgaSubmitJob } from "@/server/dga/jobs";
import { maintenanceJob } from "@/server/maintenance/jobs";
import { notifyJob } from "@/server/notifications/jobs";
import { processRawJob } from "@/server/processing/jobs";
import { reportJob, reportsScheduleJob } from "@/server/reports/jobs";
import type { AnyJob } from "./define";

/**
 * Every job of the product, one per queue. Handlers are imported lazily by their definitions, so this list
 * is cheap to import (server/metrics/collect.ts does, in the web app). A new job is added here and to its
 * worker kind in workers/registry.ts.
 */
const ALL_JOBS: readonly AnyJob[] = [
  ...Object.values(collectJobs),
  collectFanOutJob,
  processRawJob,
  dgaSubmitJob,
  dgaCycleJob,
  notifyJob,
  reportJob,
  reportsScheduleJob,
  maintenanceJob,
];

/** Every BullMQ queue of the product. */
export const QUEUE_NAMES: readonly string[] = ALL_JOBS.map((j) => j.queue);
