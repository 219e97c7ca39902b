import { parseJobHostEnv, type JobHostEnv } from "@/server/jobs/env";

export { DEFAULT_PROCESSOR_ROW_BUDGET } from "@/server/jobs/env";

/** Worker-process env: the shared server env plus what only job hosts read (schema in server/jobs/env.ts). */
export type WorkerEnv = JobHostEnv;

let cached: WorkerEnv | undefined;
export function workerEnv(): WorkerEnv {
  cached ??= parseJobHostEnv(process.env);
  return cached;
}
