import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { metricsRegistry } from "@/server/metrics/registry";
import { collectScrapeMetrics } from "@/server/metrics/collect";

/** Registry of a worker process (served on METRICS_PORT by workers/main.ts). */
export const workerRegistry = new Registry();
collectDefaultMetrics({ register: workerRegistry, prefix: "smarthydro_worker_" });

export const jobMetrics = {
  duration: new Histogram({
    name: "smarthydro_job_duration_seconds",
    help: "Job processing time",
    labelNames: ["queue"],
    registers: [workerRegistry],
    buckets: [0.005, 0.02, 0.1, 0.5, 1, 5, 30],
  }),
  done: new Counter({
    name: "smarthydro_jobs_total",
    help: "Jobs finished by outcome",
    labelNames: ["queue", "outcome"],
    registers: [workerRegistry],
  }),
};

/** What a worker's /metrics serves: its own job/process metrics plus the shared SmartHydro metrics. */
export const exposedRegistry = Registry.merge([workerRegistry, metricsRegistry]);

export async function renderWorkerMetrics(): Promise<string> {
  await collectScrapeMetrics();
  return exposedRegistry.metrics();
}
