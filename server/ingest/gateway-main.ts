/**
 * Entry point of the ingest gateway process (`node dist/app/ingest.mjs`, built by scripts/build.mjs).
 * SIGTERM: readiness fails at once, the listener closes, idle keep-alive sockets are closed and the
 * deliveries in flight finish (their rows stored and enqueued) before the pools close and the process exits 0.
 */
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";
import { closePgPool } from "@/server/pg";
import { closeRedis } from "@/server/redis";
import { closeQueues } from "@/server/queues/connection";
import { markDraining } from "@/server/health/health";
import { createIngestGateway } from "./gateway";

const DRAIN_MS = 25_000;
const log = getLogger().child({ process: "ingest" });
const port = env().INGEST_PORT;
const server = createIngestGateway();
server.listen(port, "0.0.0.0", () => log.info({ port }, "ingest gateway listening"));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  markDraining();
  log.info({ signal }, "ingest gateway draining");
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearTimeout(timer);
  await Promise.allSettled([closeQueues(), closePgPool(), closeRedis()]);
  log.info("ingest gateway stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
