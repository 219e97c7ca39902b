import type { VariableMapping } from "@/domain/measurements/types";
import { parseThethingsioDate } from "@/domain/providers/thethingsio";
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
import { deliveries, sampleValue, samplesBackward } from "./well-samples";

export interface ThethingsioSimDevice {
  thingToken: string;
  well: WellConfig;
  variables: readonly VariableMapping[];
}

export interface ThethingsioSimOptions {
  devices: readonly ThethingsioSimDevice[];
  now?: () => Date;
  faults?: FaultSpec[];
}

const tioError = (status: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { status: "error", message }, headers);

/** thethings.iO `GET /v2/things/{thingToken}/resources/{key}` (§2B): newest first, the token in the path is the credential. */
export function createThethingsioSimulator(opts: ThethingsioSimOptions): SimHandle {
  const now = opts.now ?? (() => new Date());
  const things = new Map(opts.devices.map((d) => [d.thingToken, d]));

  const resources = (req: SimRequest, token: string, key: string): SimResponse => {
    const thing = things.get(token);
    if (!thing) return tioError(401, "Invalid thing token");
    const mapping = thing.variables.find((v) => v.key === key);
    if (!mapping) return json(200, [], {});
    const q = req.url.searchParams;
    const parse = (name: string) => (q.has(name) ? parseThethingsioDate(q.get(name)!) : undefined);
    const start = parse("startDate");
    const end = parse("endDate");
    if (start === null || end === null) return tioError(400, "startDate/endDate must be YYYYMMDDHHmmss");
    const limit = Math.max(1, intParam(req.url, "limit", 10));
    const at = now();
    // endDate has second resolution and is inclusive.
    const upper = end ? new Date(Math.min(end.getTime() + 999, at.getTime())) : at;
    const out: { value: number | string; datetime: string }[] = [];
    outer: for (const s of samplesBackward(thing.well, upper, start)) {
      for (const d of deliveries(s)) {
        if (d.at > at) continue;
        out.push({ value: sampleValue(s, mapping.variable), datetime: s.t.toISOString() });
        if (out.length >= limit) break outer;
      }
    }
    return { status: 200, body: out, route: "GET resources" };
  };

  const handle = (req: SimRequest): SimResponse => {
    const m = /^\/v2\/things\/([^/]+)\/resources\/([^/]+)$/.exec(req.url.pathname);
    if (req.method === "GET" && m) return resources(req, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    return tioError(404, "Not found");
  };

  return createSimServer({
    name: "thethingsio",
    now,
    handle,
    faults: opts.faults,
    faultResponse: (f) => {
      if (f.mode === "outage") return f.connectionReset ? "reset" : tioError(503, "Service Unavailable");
      if (f.mode === "rate_limit_storm")
        return tioError(429, "Too many requests", { "retry-after": String(f.retryAfterSec ?? 30) });
      if (f.mode === "expire_tokens") return tioError(401, "Invalid thing token");
      return null;
    },
  });
}
