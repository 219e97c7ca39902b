import type { WorkerEnv } from "./env";

/** A worker kind: started by workers/main.ts when listed in WORKERS; close() must drain in-flight jobs. */
export interface WorkerKind {
  start(env: WorkerEnv): Promise<{ close(): Promise<void> }>;
}

/** Each kind registers here (one line each); lazy imports keep unused kinds out of memory. */
export const WORKER_KINDS: Record<string, () => Promise<WorkerKind>> = {
  reports: async () => (await import("./reports/index")).reportsKind,
  dga: async () => (await import("./dga/index")).dgaWorkerKind,
  processor: async () => (await import("./processor/index")).processorKind,
  notify: async () => (await import("./notify/index")).notifyKind,
  maintenance: async () => (await import("./maintenance/index")).maintenanceKind,
  collector: async () => (await import("./collector/index")).collectorKind,
  mqtt: async () => (await import("./mqtt/index")).mqttKind,
};
