import { createHmac, timingSafeEqual } from "node:crypto";
import type { VariableMapping } from "@/domain/measurements/types";
import {
  createSimServer,
  intParam,
  json,
  type FaultSpec,
  type SimHandle,
  type SimRequest,
  type SimResponse,
} from "./http-kit";
import { type WellConfig } from "./wells";
import { latestDelivered, sampleValue, samplesBackward, samplesForward } from "./well-samples";

export interface TdataSimDevice {
  deviceId: string;
  well: WellConfig;
  variables: readonly VariableMapping[];
}

export interface TdataSimOptions {
  users: readonly { username: string; password: string }[];
  devices: readonly TdataSimDevice[];
  now?: () => Date;
  faults?: FaultSpec[];
  tokenTtlSec?: number;
  basePath?: string;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");
const tbError = (status: number, message: string, errorCode: number, headers: Record<string, string> = {}) =>
  json(status, { status, message, errorCode }, headers);

/** T.Data / ThingsBoard-shaped API: JWT login, timeseries latest and history (§4). */
export function createTdataSimulator(opts: TdataSimOptions): SimHandle {
  const now = opts.now ?? (() => new Date());
  const base = opts.basePath ?? "/tdata/v1";
  const secret = `tdata-sim-${Math.random()}`;
  let generation = 0;
  const devices = new Map(opts.devices.map((d) => [d.deviceId, d]));

  const sign = (data: string) => createHmac("sha256", secret).update(data).digest("base64url");
  const issue = (sub: string) => {
    const iat = Math.floor(now().getTime() / 1000);
    const head = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify({ sub, scopes: ["TENANT_ADMIN"], iat, exp: iat + (opts.tokenTtlSec ?? 3600), gen: generation }))}`;
    return `${head}.${sign(head)}`;
  };
  const verify = (token: string): "ok" | "invalid" | "expired" => {
    const [h, p, s] = token.split(".");
    if (!h || !p || !s) return "invalid";
    const expected = Buffer.from(sign(`${h}.${p}`));
    if (expected.length !== Buffer.from(s).length || !timingSafeEqual(expected, Buffer.from(s))) return "invalid";
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { exp: number; gen: number };
    return claims.gen !== generation || claims.exp * 1000 <= now().getTime() ? "expired" : "ok";
  };

  const login = (req: SimRequest): SimResponse => {
    let creds: { username?: unknown; password?: unknown } = {};
    try {
      creds = JSON.parse(req.body) as typeof creds;
    } catch {
      return tbError(400, "Invalid request body", 31);
    }
    const user = opts.users.find((u) => u.username === creds.username && u.password === creds.password);
    if (!user) return tbError(401, "Invalid username or password", 10);
    return json(200, { token: issue(user.username), refreshToken: issue(`${user.username}:refresh`) });
  };

  const timeseries = (req: SimRequest, deviceId: string): SimResponse => {
    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const state = auth ? verify(auth) : "invalid";
    if (state !== "ok")
      return tbError(
        401,
        state === "expired" ? "Token has expired" : "Authentication failed",
        state === "expired" ? 11 : 10,
      );
    const device = devices.get(deviceId);
    if (!device) return tbError(404, "Requested item wasn't found!", 32);
    const keys = (req.url.searchParams.get("keys") ?? "").split(",").filter(Boolean);
    if (keys.length === 0) return tbError(400, "Required request parameter 'keys' is not present", 31);
    const strict = req.url.searchParams.get("useStrictDataTypes") === "true";
    const fmt = (v: number | string) => (strict ? v : String(v));
    const at = now();
    const mappings = keys
      .map((k) => device.variables.find((v) => v.key === k))
      .filter((m): m is VariableMapping => !!m);
    const out: Record<string, { ts: number; value: number | string }[]> = {};
    const startParam = req.url.searchParams.get("startTs");
    if (startParam === null) {
      const [latest] = latestDelivered(device.well, at);
      if (latest)
        for (const m of mappings)
          out[m.key] = [{ ts: latest.t.getTime(), value: fmt(sampleValue(latest, m.variable)) }];
      return { status: 200, body: out, route: "GET timeseries latest" };
    }
    const startTs = intParam(req.url, "startTs", 0);
    const endTs = Math.min(intParam(req.url, "endTs", at.getTime()), at.getTime());
    const limit = Math.max(1, intParam(req.url, "limit", 100));
    const orderBy = req.url.searchParams.get("orderBy");
    const asc = req.url.searchParams.get("asc") === "true" || orderBy?.toUpperCase() === "ASC";
    const from = new Date(startTs);
    const to = new Date(endTs);
    const picked: { ts: number; s: Parameters<typeof sampleValue>[0] }[] = [];
    const source = asc ? samplesForward(device.well, from, to) : samplesBackward(device.well, to, from);
    for (const s of source) {
      if (s.deliveredAt > at) continue;
      picked.push({ ts: s.t.getTime(), s });
      if (picked.length >= limit) break;
    }
    for (const m of mappings)
      if (picked.length) out[m.key] = picked.map(({ ts, s }) => ({ ts, value: fmt(sampleValue(s, m.variable)) }));
    return { status: 200, body: out, route: "GET timeseries range" };
  };

  const handle = (req: SimRequest): SimResponse => {
    const path = req.url.pathname;
    if (req.method === "POST" && path === `${base}/login`) return { ...login(req), route: "POST login" };
    const m = new RegExp(`^${base}/telemetry/DEVICE/([^/]+)/values/timeseries$`).exec(path);
    if (req.method === "GET" && m) return timeseries(req, decodeURIComponent(m[1]!));
    return tbError(404, "Not found", 32);
  };

  return createSimServer({
    name: "tdata",
    now,
    handle,
    faults: opts.faults,
    onFaultsChanged: (faults) => {
      if (faults.some((f) => f.mode === "expire_tokens")) generation++;
    },
    faultResponse: (f) => {
      if (f.mode === "outage") return f.connectionReset ? "reset" : tbError(503, "Service temporarily unavailable", 2);
      if (f.mode === "rate_limit_storm")
        return tbError(429, "Too many requests for current tenant!", 33, {
          "retry-after": String(f.retryAfterSec ?? 30),
        });
      return null;
    },
  });
}
