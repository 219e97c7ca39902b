import type { Server } from "node:http";
import type { Logger } from "pino";
import { closePgPool } from "@/server/pg";
import { closeRedis } from "@/server/redis";
import { closeQueues } from "@/server/queues/connection";
import { markDraining } from "@/server/health/health";

const DRAIN_MS = 25_000;

/**
 * Listens, then on SIGTERM/SIGINT: readiness fails at once, the listener closes, idle keep-alive sockets are
 * closed and the requests in flight finish (past DRAIN_MS the rest are cut) before the pools close and the
 * process exits 0. The plain-node processes (ingest gateway, REST API) share it.
 */
export function serveUntilSignal(
  server: Server,
  port: number,
  log: Logger,
  name: string,
  /** More to close than the pg pool, Redis and the queues (the API's Prisma client). */
  closers: (() => Promise<unknown>)[] = [],
): void {
  server.listen(port, "0.0.0.0", () => log.info({ port }, `${name} listening`));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    markDraining();
    log.info({ signal }, `${name} draining`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(timer);
    await Promise.allSettled([closeQueues(), closePgPool(), closeRedis(), ...closers.map((c) => c())]);
    log.info(`${name} stopped`);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
