import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { collectDefaultMetrics } from "prom-client";
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";
import { readiness } from "@/server/health/health";
import { metricsAuthorized } from "@/server/metrics/auth";
import { metricsRegistry, observeHttp } from "@/server/metrics/registry";
import { handlePush, type PushKind } from "./push";
import { INGEST_PATH, INGEST_ROUTE, declaredBodyLimit, declaresTooMuch } from "./limits";

/**
 * The ingest gateway (ADR 0011): provider webhooks served by plain node:http in their own process, so a
 * burst of deliveries neither queues behind nor is slowed by the portal's Next.js request pipeline.
 * The same checks as the Next routes run: the declared-size refusal of proxy.ts (shared limits.ts), then
 * handlePush (secret, streamed size cap, validation, raw store, enqueue). Also /health/live,
 * /health/ready and /metrics (Bearer METRICS_TOKEN), as the worker processes expose them.
 */
export function createIngestGateway(): Server {
  const g = globalThis as unknown as { __ingestDefaultMetrics?: boolean };
  if (!g.__ingestDefaultMetrics) {
    g.__ingestDefaultMetrics = true;
    collectDefaultMetrics({ register: metricsRegistry, prefix: "smarthydro_ingest_" });
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      getLogger().error({ err: e, url: req.url }, "ingest gateway: unhandled error");
      if (!res.headersSent) json(res, 500, { error: { code: "INTERNAL", message: "Error interno" } });
      else res.destroy();
    });
  });
  // Webhook senders keep connections open between deliveries; outlive a typical sender's idle timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  if (url === "/health/live") return void res.writeHead(200).end("ok");
  if (url === "/health/ready") {
    const r = await readiness();
    return json(res, r.status === "ok" ? 200 : 503, r);
  }
  if (url === "/metrics") {
    if (!metricsAuthorized(req.headers.authorization, env()))
      return void res.writeHead(401, { "www-authenticate": "Bearer" }).end("unauthorized\n");
    const body = await metricsRegistry.metrics();
    return void res.writeHead(200, { "content-type": metricsRegistry.contentType }).end(body);
  }
  const m = INGEST_PATH.exec(url);
  if (!m) return json(res, 404, { error: { code: "NOT_FOUND", message: "No existe" } });
  const t0 = performance.now();
  const status = await ingest(req, res, m[1] as PushKind, m[2]!, url);
  observeHttp(INGEST_ROUTE, req.method ?? "POST", status, (performance.now() - t0) / 1000);
}

async function ingest(
  req: IncomingMessage,
  res: ServerResponse,
  kind: PushKind,
  accountId: string,
  url: string,
): Promise<number> {
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST" }).end();
    return 405;
  }
  const max = declaredBodyLimit(url, env());
  if (declaresTooMuch(req.headers["content-length"], max)) {
    json(res, 413, { error: { code: "PAYLOAD_TOO_LARGE", message: `El cuerpo supera el máximo de ${max} bytes` } });
    req.resume();
    return 413;
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const request = new Request(`http://${req.headers.host ?? "ingest"}${url}`, {
    method: "POST",
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
  const out = await handlePush(kind, accountId, request);
  const body = Buffer.from(await out.arrayBuffer());
  res.writeHead(out.status, Object.fromEntries(out.headers.entries()));
  res.end(body);
  // A body refused part-way (413) is left unread: drain it so the connection can be reused.
  if (!req.readableEnded) req.resume();
  return out.status;
}
