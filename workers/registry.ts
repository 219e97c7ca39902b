import type { AnyJob, JobHost } from "@/server/jobs/define";

/** Something a kind keeps running that is not a queue consumer (the MQTT subscriptions). */
interface JobService {
  start(host: JobHost): Promise<{ close(): Promise<void> }>;
}

/** A worker kind: the job definitions (and services) a process listed in WORKERS runs. */
export interface WorkerKind {
  jobs: readonly AnyJob[];
  services?: readonly JobService[];
}

/** One line per kind; lazy imports keep the handlers of unused kinds out of memory. */
export const WORKER_KINDS: Record<string, () => Promise<WorkerKind>> = {
  collector: async () => {
    const { collectJobs, collectFanOutJob } = await import("@/server/collection/jobs");
    return { jobs: [...Object.values(collectJobs), collectFanOutJob] };
  },
  processor: async () => ({ jobs: [(await import("@/server/processing/jobs")).processRawJob] }),
  dga: async () => {
    const { dgaSubmitJob, dgaCycleJob } = await import("@/server/dga/jobs");
    return { jobs: [dgaSubmitJob, dgaCycleJob] };
  },
  notify: async () => ({ jobs: [(await import("@/server/notifications/jobs")).notifyJob] }),
  maintenance: async () => ({ jobs: [(await import("@/server/maintenance/jobs")).maintenanceJob] }),
  reports: async () => {
    const { reportJob, reportsScheduleJob } = await import("@/server/reports/jobs");
    return { jobs: [reportJob, reportsScheduleJob] };
  },
  mqtt: async () => ({ jobs: [], services: [(await import("@/server/mqtt/subscriptions")).mqttService] }),
};
