import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const FAULT_MODES = ["outage", "rate_limit_storm", "malformed", "slow", "expire_tokens"] as const;
type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSpec {
  mode: FaultMode;
  /** Active until this instant (simulator clock). */
  until?: string | Date;
  /** Active for this many requests. Neither until nor count: active until reset. */
  count?: number;
  delayMs?: number;
  retryAfterSec?: number;
  /** outage: drop the socket instead of answering 503. */
  connectionReset?: boolean;
  /** outage on streaming routes: 200 with a partial stream that ends in an error object. */
  midStream?: boolean;
}

interface ActiveFault extends FaultSpec {
  untilMs: number | null;
  remaining: number | null;
}

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  /** Faults still active for this request (after outage/rate-limit/malformed short-circuits). */
  faults: readonly FaultSpec[];
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Strings are sent as text, anything else as JSON. */
  body?: unknown;
  /** Streamed responses: written one chunk at a time instead of `body`. */
  chunks?: string[];
  /** Label for /__admin/stats (defaults to method + path). */
  route?: string;
}

type FaultResponder = (fault: FaultSpec, req: SimRequest) => SimResponse | "reset" | null;

export interface SimServerOptions {
  name: string;
  now: () => Date;
  handle: (req: SimRequest) => SimResponse | Promise<SimResponse>;
  /** Provider-shaped 503/429/401 bodies; null = this fault does not short-circuit here. */
  faultResponse: FaultResponder;
  faults?: FaultSpec[];
  onFaultsChanged?: (faults: readonly FaultSpec[]) => void;
  onReset?: () => void;
}

interface SimStats {
  requests: number;
  faulted: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface SimHandle {
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  setFaults(faults: FaultSpec[]): void;
  stats(): SimStats;
  readonly url: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers };
}

function readBody(req: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, r: SimResponse): void {
  const headers = { ...r.headers };
  if (r.chunks) {
    res.writeHead(r.status, { "content-type": "application/json", ...headers });
    for (const chunk of r.chunks) res.write(chunk);
    res.end();
    return;
  }
  const text = r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
  const type = typeof r.body === "string" ? "text/plain; charset=utf-8" : "application/json";
  res.writeHead(r.status, { "content-type": type, "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function parseFaults(body: unknown): FaultSpec[] {
  const list = Array.isArray(body)
    ? body
    : typeof body === "object" && body !== null && "faults" in body
      ? (body as { faults: unknown }).faults
      : [body];
  if (!Array.isArray(list)) throw new Error("faults must be an object or an array");
  return list.map((f: unknown) => {
    const mode = (f as { mode?: unknown } | null)?.mode;
    if (!FAULT_MODES.includes(mode as FaultMode)) throw new Error(`unknown fault mode ${JSON.stringify(mode)}`);
    return f as FaultSpec;
  });
}

/** A node:http server with the shared admin API (faults, reset, stats) in front of a provider handler. */
export function createSimServer(opts: SimServerOptions): SimHandle {
  let faults: ActiveFault[] = [];
  let stats: SimStats = { requests: 0, faulted: 0, byRoute: {}, byStatus: {} };
  let address = "";

  const setFaults = (specs: FaultSpec[]) => {
    faults = specs.map((f) => ({
      ...f,
      untilMs: f.until === undefined ? null : new Date(f.until).getTime(),
      remaining: f.count === undefined ? null : f.count,
    }));
    opts.onFaultsChanged?.(specs);
  };
  setFaults(opts.faults ?? []);

  const active = (): ActiveFault[] => {
    const nowMs = opts.now().getTime();
    faults = faults.filter(
      (f) => (f.untilMs === null || nowMs < f.untilMs) && (f.remaining === null || f.remaining > 0),
    );
    return faults;
  };

  const admin = async (method: string, path: string, body: string): Promise<SimResponse | null> => {
    if (method === "POST" && path === "/__admin/faults") {
      try {
        setFaults(parseFaults(body ? JSON.parse(body) : []));
      } catch (e) {
        return json(400, { error: (e as Error).message });
      }
      return json(200, { faults: active() });
    }
    if (method === "GET" && path === "/__admin/faults") return json(200, { faults: active() });
    if (method === "POST" && path === "/__admin/reset") {
      setFaults([]);
      stats = { requests: 0, faulted: 0, byRoute: {}, byStatus: {} };
      opts.onReset?.();
      return json(200, { ok: true });
    }
    if (method === "GET" && path === "/__admin/stats")
      return json(200, { name: opts.name, ...stats, faults: active() });
    return null;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://sim");
      const method = req.method ?? "GET";
      const body = await readBody(req);
      if (url.pathname.startsWith("/__admin/")) {
        send(res, (await admin(method, url.pathname, body)) ?? json(404, { error: "unknown admin route" }));
        return;
      }
      const simReq: SimRequest = { method, url, headers: req.headers, body, faults: [] };
      let outcome: SimResponse | "reset" | null = null;
      let faulted = false;
      for (const f of active()) {
        if (f.remaining !== null) f.remaining--;
        faulted = true;
        if (f.mode === "slow") await sleep(f.delayMs ?? 2000);
        else if (f.mode === "malformed")
          outcome ??= {
            status: 200,
            body: '{"status":true,"result":[{"id":"67cf0a1e9b',
            headers: { "content-type": "application/json" },
          };
        else outcome ??= opts.faultResponse(f, simReq);
      }
      simReq.faults = faults;
      if (outcome === "reset") {
        stats.requests++;
        stats.faulted++;
        req.socket.destroy();
        return;
      }
      const response = outcome ?? (await opts.handle(simReq));
      const route = response.route ?? `${method} ${url.pathname}`;
      stats.requests++;
      if (faulted) stats.faulted++;
      stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
      stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
      send(res, response);
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, json(500, { error: (e as Error).message }));
      else res.destroy();
    });
  });

  return {
    listen: (port = 0, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const a = server.address() as AddressInfo;
          address = `http://${host}:${a.port}`;
          resolve({ port: a.port, url: address });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    setFaults,
    stats: () => structuredClone(stats),
    get url() {
      return address;
    },
  };
}

/** Case-insensitive query parameter with a numeric fallback. */
export function intParam(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  if (v === null || v.trim() === "") return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}
