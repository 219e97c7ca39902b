import { Counter, Histogram, Registry } from "prom-client";

/** Job metrics of a worker process (merged into what workers/main.ts serves on METRICS_PORT). */
export const jobRegistry = new Registry();

export const jobMetrics = {
  duration: new Histogram({
    name: "smarthydro_job_duration_seconds",
    help: "Job processing time",
    labelNames: ["queue"],
    registers: [jobRegistry],
    buckets: [0.005, 0.02, 0.1, 0.5, 1, 5, 30],
  }),
  done: new Counter({
    name: "smarthydro_jobs_total",
    help: "Jobs finished by outcome",
    labelNames: ["queue", "outcome"],
    registers: [jobRegistry],
  }),
};
