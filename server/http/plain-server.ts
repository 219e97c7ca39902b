import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { collectDefaultMetrics } from "prom-client";
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";
import { readiness } from "@/server/health/health";
import { metricsAuthorized } from "@/server/metrics/auth";
import { metricsRegistry } from "@/server/metrics/registry";
import { appendSocketAddressToForwardedFor } from "./socket-forwarded";
import { sendJson } from "./node-bridge";

export type PlainHandler = (req: IncomingMessage, res: ServerResponse, url: string) => Promise<void>;

/**
 * A plain node:http process of ours (ingest gateway ADR 0011, REST API ADR 0014): /health/live, /health/ready
 * and /metrics (Bearer METRICS_TOKEN) as the workers expose them, the socket address appended to
 * X-Forwarded-For as the portal does, one 500 for anything unhandled; the rest goes to `handle`.
 */
export function createPlainServer(name: "ingest" | "api", handle: PlainHandler): Server {
  const g = globalThis as unknown as Record<string, boolean | undefined>;
  const flag = `__${name}DefaultMetrics`;
  if (!g[flag]) {
    g[flag] = true;
    collectDefaultMetrics({ register: metricsRegistry, prefix: `smarthydro_${name}_` });
  }
  appendSocketAddressToForwardedFor();
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const route = url === "/health/live" || url === "/health/ready" || url === "/metrics" ? ops : handle;
    route(req, res, url).catch((e: unknown) => {
      getLogger().error({ err: e, url }, `${name}: unhandled error`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: "INTERNAL", message: "Error interno" } });
      else res.destroy();
    });
  });
  // Webhook senders and API clients keep connections open between requests; outlive a typical idle timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

async function ops(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
  if (url === "/health/live") return void res.writeHead(200).end("ok");
  if (url === "/health/ready") {
    const r = await readiness();
    return sendJson(res, r.status === "ok" ? 200 : 503, r);
  }
  if (!metricsAuthorized(req.headers.authorization, env()))
    return void res.writeHead(401, { "www-authenticate": "Bearer" }).end("unauthorized\n");
  const body = await metricsRegistry.metrics();
  res.writeHead(200, { "content-type": metricsRegistry.contentType }).end(body);
}
