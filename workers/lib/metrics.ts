import { Registry, collectDefaultMetrics } from "prom-client";
import { metricsRegistry } from "@/server/metrics/registry";
import { collectScrapeMetrics } from "@/server/metrics/collect";
import { jobRegistry } from "@/server/jobs/metrics";

/** Registry of a worker process (served on METRICS_PORT by workers/main.ts). */
const workerRegistry = new Registry();
collectDefaultMetrics({ register: workerRegistry, prefix: "smarthydro_worker_" });

/** What a worker's /metrics serves: its process metrics, its job metrics and the shared SmartHydro metrics. */
export const exposedRegistry = Registry.merge([workerRegistry, jobRegistry, metricsRegistry]);

export async function renderWorkerMetrics(): Promise<string> {
  await collectScrapeMetrics();
  return exposedRegistry.metrics();
}
