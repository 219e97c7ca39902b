import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/**
 * node:http ⇄ Fetch API, for the plain-node processes (ingest gateway, REST API process; ADR 0011, 0014) that
 * serve the same `(Request) => Response` handlers the Next routes serve.
 */
export function toWebRequest(req: IncomingMessage, url: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${url}`, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * A Response whose body bytes are also kept aside: the plain-node processes write them straight to the socket
 * instead of reading the body stream back (≈ 13 % of a year-long history request's CPU went to building and
 * re-reading the web stream, issue #18). Next reads the Response as usual.
 */
const rawBodies = new WeakMap<Response, Buffer>();
export function responseWithBytes(body: Buffer, init: ResponseInit): Response {
  const res = new Response(body as unknown as BodyInit, init);
  rawBodies.set(res, body);
  return res;
}

/** Headers every answer of these processes carries (the portal gets the same from next.config.ts). */
const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/**
 * Writes a Fetch Response, body buffered: these processes answer JSON (the streamed routes, realtime SSE and
 * report files, stay on the portal).
 */
export async function sendWebResponse(res: ServerResponse, out: Response): Promise<void> {
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS };
  for (const [k, v] of out.headers) {
    const prior = headers[k];
    headers[k] = k === "set-cookie" && prior ? [...(Array.isArray(prior) ? prior : [prior]), v] : v;
  }
  const body = rawBodies.get(out) ?? (out.body ? Buffer.from(await out.arrayBuffer()) : null);
  if (body) headers["content-length"] = String(body.byteLength);
  res.writeHead(out.status, headers).end(body ?? undefined);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}
