import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { env } from "@/server/env";
import { observeHttp } from "@/server/metrics/registry";
import { createPlainServer } from "@/server/http/plain-server";
import { sendJson as json, sendWebResponse, toWebRequest } from "@/server/http/node-bridge";
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
  return createPlainServer("ingest", handle);
}

async function handle(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
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
  const out = await handlePush(kind, accountId, toWebRequest(req, url));
  await sendWebResponse(res, out);
  // A body refused part-way (413) is left unread: drain it so the connection can be reused.
  if (!req.readableEnded) req.resume();
  return out.status;
}
