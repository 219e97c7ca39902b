import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import { getDb } from "@/server/db";
import { principalFromAuthorization } from "@/server/auth/rest-auth";
import { memoPrincipal } from "./request-memo";
import { getLogger } from "@/server/logger";
import { observeHttp } from "@/server/metrics/registry";
import { OPERATIONS } from "./operations";
import type { Operation } from "./operation";
import { runOperation } from "./run-operation";
import { toHttpError } from "./http-errors";
import { env } from "@/server/env";
import { readBodyLimited } from "@/server/http/body";
import { responseWithBytes } from "@/server/http/node-bridge";
import { callerKey, consumeOrThrow, limiters } from "@/server/security/limiters";

interface Route {
  op: Operation;
  method: string;
  regex: RegExp;
  params: string[];
}

function compile(op: Operation): Route | null {
  if (!op.rest) return null;
  const params: string[] = [];
  const pattern = op.rest.path.replace(/\{(\w+)\}/g, (_m, p: string) => {
    params.push(p);
    return "([^/]+)";
  });
  return { op, method: op.rest.method, regex: new RegExp(`^${pattern}/?$`), params };
}

export const REST_ROUTES: Route[] = OPERATIONS.map(compile).filter((r): r is Route => r !== null);

function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | "method_not_allowed" | null {
  let pathMatched = false;
  for (const route of REST_ROUTES) {
    const m = route.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    return { route, params: Object.fromEntries(route.params.map((p, i) => [p, decodePathParam(m[i + 1]!)])) };
  }
  return pathMatched ? "method_not_allowed" : null;
}

function decodePathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError("BAD_INPUT", `Parámetro de ruta mal codificado: ${raw.slice(0, 40)} (un % debe ir como %25)`);
  }
}

/**
 * JSON with bigints as strings. A replacer function makes V8 call back for every value (≈ 11 % of the web
 * process's CPU on year-long histories, issue #18), so it is used only when a bigint is actually present.
 */
function stringify(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonBytes(status, Buffer.from(stringify(body)), headers);
}

function jsonBytes(status: number, bytes: Buffer, headers: Record<string, string>): Response {
  return responseWithBytes(bytes, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/**
 * The bytes of each shared result object already encoded (operations that declare `sharedResult`: a result
 * handed to collapsed concurrent requests, such as a client's realtime, is serialized once).
 */
const encoded = new WeakMap<object, Buffer>();
function jsonOfResult(status: number, result: unknown, op: Operation, headers: Record<string, string>): Response {
  const keyed = op.sharedResult === true && typeof result === "object" && result !== null;
  let bytes = keyed ? encoded.get(result) : undefined;
  if (!bytes) {
    bytes = Buffer.from(stringify(op.restBody ? op.restBody(result) : result));
    if (keyed) encoded.set(result, bytes);
  }
  return jsonBytes(status, bytes, headers);
}

/** Serves every operation that declares a REST binding, under /api/v1. */
export async function handleRest(req: Request, subPath: string): Promise<Response> {
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  const started = performance.now();
  let status = 500;
  let routeTemplate = "unmatched";
  try {
    const match = matchRoute(req.method, subPath);
    if (match && match !== "method_not_allowed") routeTemplate = `/api/v1${match.route.op.rest?.path ?? ""}`;
    if (match === null) throw new AppError("NOT_FOUND", `No existe el recurso ${subPath}`);
    if (match === "method_not_allowed")
      return json(405, {
        error: { code: "METHOD_NOT_ALLOWED", message: `Método ${req.method} no permitido`, requestId },
      });
    const prisma = getDb();
    const authorization = req.headers.get("authorization");
    const principal = await memoPrincipal(authorization ?? "", () =>
      principalFromAuthorization(prisma, authorization, new Date()),
    );
    if (!principal)
      throw new AppError("UNAUTHENTICATED", "Falta un token válido (Authorization: Bearer <token o clave de API>)");
    await consumeOrThrow(
      limiters().api,
      callerKey(principal),
      "Demasiadas solicitudes para esta clave o usuario. Intente más tarde.",
    );
    const url = new URL(req.url);
    let body: Record<string, unknown> = {};
    if (req.method === "POST" || req.method === "PUT") {
      const text = await readBodyLimited(req, env().REQUEST_MAX_BYTES);
      if (text.trim()) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
          body = parsed as Record<string, unknown>;
        } catch {
          throw new AppError("BAD_INPUT", "El cuerpo debe ser un objeto JSON válido");
        }
      }
    }
    const query = Object.fromEntries(url.searchParams.entries());
    const input = { ...query, ...body, ...match.params };
    const result = await runOperation(match.route.op, prisma, principal, input, requestId);
    status = match.route.op.rest?.status ?? 200;
    if (match.route.op.csv && (req.headers.get("accept") ?? "").includes("text/csv")) {
      return new Response(match.route.op.csv(result), {
        status,
        headers: { "content-type": "text/csv; charset=utf-8", "cache-control": "no-store", "x-request-id": requestId },
      });
    }
    return jsonOfResult(status, result, match.route.op, { "x-request-id": requestId });
  } catch (e) {
    const h = toHttpError(e, requestId);
    status = h.status;
    return json(h.status, h.body, { ...h.headers, "x-request-id": requestId });
  } finally {
    getLogger().info(
      { requestId, method: req.method, path: subPath, status, ms: Math.round(performance.now() - started) },
      "rest",
    );
    observeHttp(routeTemplate, req.method, status, (performance.now() - started) / 1000);
  }
}
