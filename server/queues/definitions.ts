import type { JobsOptions } from "bullmq";

/** Provider kinds with a collect queue each (`collect-<kind>`). */
export const PROVIDER_KINDS = ["tdata", "tts", "thethingsio", "tago", "custom"] as const;
export type ProviderKindName = (typeof PROVIDER_KINDS)[number];

/** Default job options; a job definition (server/<feature>/jobs.ts) starts from these. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
