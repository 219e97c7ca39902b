import type { WorkerEnv } from "./env";

/** A worker kind: started by workers/main.ts when listed in WORKERS; close() must drain in-flight jobs. */
export interface WorkerKind {
  start(env: WorkerEnv): Promise<{ close(): Promise<void> }>;
}

/** Each kind registers here (one line each); lazy imports keep unused kinds out of memory. */
export const WORKER_KINDS: Record<string, () => Promise<WorkerKind>> = {};
