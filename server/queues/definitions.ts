/** Provider kinds with a collect queue each (`collect-<kind>`, server/collection/jobs.ts). */
export const PROVIDER_KINDS = ["tdata", "tts", "thethingsio", "tago", "custom"] as const;
export type ProviderKindName = (typeof PROVIDER_KINDS)[number];
