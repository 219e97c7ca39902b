import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { env } from "@/server/env";
import { createPlainServer } from "@/server/http/plain-server";
import { sendJson, sendWebResponse, toWebRequest } from "@/server/http/node-bridge";
import { declaredBodyLimit, declaresTooMuch } from "@/server/ingest/limits";
import { handleTokenRequest } from "@/server/auth/token-endpoint";
import { buildOpenApi } from "./openapi";
import { handleRest, json } from "./rest";

const PREFIX = "/api/v1";

/**
 * The REST API process (ADR 0014): /api/v1 for the mobile app and integrations, Bearer tokens and API keys
 * only, served by plain node:http in its own process so reads neither pay for nor queue behind the portal's
 * Next.js pipeline. The same handlers as the Next routes (handleRest, the token endpoint, the OpenAPI
 * document); the portal keeps the routes that take its session cookie (realtime stream, report files) and the
 * ingest gateway the webhooks.
 */
export function createApiServer(): Server {
  return createPlainServer("api", handle);
}

async function handle(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.startsWith(`${PREFIX}/`))
    return sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No existe el recurso ${path.slice(0, 200)}` } });
  const max = declaredBodyLimit(path, env());
  if (declaresTooMuch(req.headers["content-length"], max)) {
    sendJson(res, 413, { error: { code: "PAYLOAD_TOO_LARGE", message: `El cuerpo supera el máximo de ${max} bytes` } });
    req.resume();
    return;
  }
  const request = toWebRequest(req, url);
  const sub = path.slice(PREFIX.length);
  let out: Response;
  if (sub === "/openapi.json" && req.method === "GET") out = json(200, buildOpenApi(new URL(request.url).origin));
  else if (sub === "/auth/token" && req.method === "POST") out = await handleTokenRequest(request);
  else out = await handleRest(request, sub);
  await sendWebResponse(res, out);
  if (!req.readableEnded) req.resume();
}
