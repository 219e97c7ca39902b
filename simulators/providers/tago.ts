import type { VariableMapping } from "@/domain/measurements/types";
import { parseUtcInstant } from "@/domain/providers/shared";
import { TAGO_DEFAULT_QTY, TAGO_MAX_QTY, type TagoRecord } from "@/domain/providers/tago";
import {
  createSimServer,
  intParam,
  json,
  type FaultSpec,
  type SimHandle,
  type SimRequest,
  type SimResponse,
} from "./http-kit";
import { rand, type WellConfig, type WellSample } from "./wells";
import { deliveries, maxDeliveryLagSec, sampleValue, samplesBackward, samplesForward } from "./well-samples";

export interface TagoSimDevice {
  /** Tago device id (24 hex). */
  deviceId: string;
  deviceToken: string;
  name: string;
  well: WellConfig;
  variables: readonly VariableMapping[];
  /** Variables whose parser stores values as strings (seen on real devices). */
  stringVariables?: readonly string[];
}

export interface TagoSimOptions {
  devices: readonly TagoSimDevice[];
  now?: () => Date;
  faults?: FaultSpec[];
  /** Per device token, per minute of the simulator clock (Free plan: 250). Unset = unlimited. */
  rateLimitPerMinute?: number;
}

const tagoError = (status: number, message: string) => json(status, { status: false, message });
const hex = (seed: number, n: number, salt: number, len: number) =>
  Array.from({ length: len }, (_, i) => Math.floor(rand(seed, n, salt * 31 + i) * 16).toString(16)).join("");

/** Tago records for one delivery of a sample: one per variable, ObjectId-like ids. */
export function tagoRecords(device: TagoSimDevice, s: WellSample, copy: 0 | 1, createdAt: Date): TagoRecord[] {
  const tSec = Math.floor(s.t.getTime() / 1000);
  return device.variables.map((v, i) => {
    const value = sampleValue(s, v.variable);
    return {
      id:
        Math.floor(createdAt.getTime() / 1000)
          .toString(16)
          .padStart(8, "0") + hex(device.well.seed, tSec * 4 + copy * 2, i + 1, 16),
      device: device.deviceId,
      variable: v.key,
      value: device.stringVariables?.includes(v.key) ? String(value) : value,
      unit: v.unit,
      group: String(s.t.getTime()),
      time: s.t.toISOString(),
      created_at: createdAt.toISOString(),
    };
  });
}

/** Accepts ISO (with zone), "human" `YYYY-MM-DD HH:mm:ss` (read as UTC) and relative `N unit` dates. */
function tagoDate(text: string, now: Date): Date | null {
  const rel = /^(\d+)\s*(minute|hour|day|week|month|year)s?$/i.exec(text.trim());
  if (rel) {
    const sec = { minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 }[
      rel[2]!.toLowerCase() as "day"
    ];
    return new Date(now.getTime() - Number(rel[1]) * sec * 1000);
  }
  return parseUtcInstant(text) ?? parseUtcInstant(`${text.trim().replace(" ", "T")}Z`);
}

function requestedVariables(q: URLSearchParams): string[] {
  return ["variable", "variable[]", "variables", "variables[]"]
    .flatMap((n) => q.getAll(n))
    .flatMap((v) => v.split(","))
    .filter(Boolean);
}

/** TagoIO `GET /data` and `GET /info` with a Device-Token (§3.2–3.7). */
export function createTagoSimulator(opts: TagoSimOptions): SimHandle {
  const now = opts.now ?? (() => new Date());
  const byToken = new Map(opts.devices.map((d) => [d.deviceToken, d]));
  const buckets = new Map<string, { minute: number; count: number }>();

  const tokenOf = (req: SimRequest) => {
    const h = req.headers;
    return (h["device-token"] as string | undefined) ?? (h.token as string | undefined) ?? h.authorization ?? null;
  };

  const data = (req: SimRequest, device: TagoSimDevice): SimResponse => {
    const q = req.url.searchParams;
    const at = now();
    const wanted = requestedVariables(q);
    const vars = wanted.length ? device.variables.filter((v) => wanted.includes(v.key)) : device.variables;
    const view: TagoSimDevice = { ...device, variables: vars };
    const start = q.get("start_date") ? tagoDate(q.get("start_date")!, at) : undefined;
    const end = q.get("end_date") ? tagoDate(q.get("end_date")!, at) : undefined;
    if (start === null || end === null) return tagoError(400, "Invalid start_date or end_date");
    const query = q.get("query");
    if (query && !["last_item", "last_value", "first_item", "first_value"].includes(query))
      return tagoError(400, `Query ${query} is not supported by the simulator`);
    const single = query !== null;
    const ascending = query?.startsWith("first") || (!single && q.get("ordination") === "ascending");
    const qty = single ? 1 : Math.min(Math.max(intParam(req.url, "qty", TAGO_DEFAULT_QTY), 1), TAGO_MAX_QTY);
    const skip = single ? 0 : Math.max(0, intParam(req.url, "skip", 0));
    const upper = end && end < at ? end : at;
    const source = ascending
      ? samplesForward(device.well, start ?? device.well.installedAt, upper)
      : samplesBackward(device.well, upper, start);
    const out: TagoRecord[] = [];
    let skipped = 0;
    outer: for (const s of source) {
      for (const d of deliveries(s)) {
        if (d.at > at) continue;
        const recs = tagoRecords(view, s, d.copy, d.at);
        for (const r of ascending ? recs : recs.reverse()) {
          if (skipped < skip) skipped++;
          else out.push(r);
          if (out.length >= qty) break outer;
        }
      }
    }
    return { status: 200, body: { status: true, result: out }, route: single ? "GET /data last" : "GET /data" };
  };

  const handle = (req: SimRequest): SimResponse => {
    const token = tokenOf(req);
    const device = token ? byToken.get(token) : undefined;
    if (!device) return tagoError(401, "Authorization denied");
    if (opts.rateLimitPerMinute !== undefined) {
      const minute = Math.floor(now().getTime() / 60_000);
      const b = buckets.get(device.deviceToken);
      const count = b && b.minute === minute ? b.count + 1 : 1;
      buckets.set(device.deviceToken, { minute, count });
      if (count > opts.rateLimitPerMinute)
        return tagoError(
          429,
          `Too many requests (Retry-After: ${Math.max(1, 60 - (Math.floor(now().getTime() / 1000) % 60))})`,
        );
    }
    if (req.method === "GET" && req.url.pathname === "/data") return data(req, device);
    if (req.method === "GET" && req.url.pathname === "/info") {
      return json(200, {
        status: true,
        result: {
          id: device.deviceId,
          name: device.name,
          type: "immutable",
          active: true,
          created_at: device.well.installedAt.toISOString(),
        },
      });
    }
    return tagoError(404, "Resource not found");
  };

  return createSimServer({
    name: "tago",
    now,
    handle,
    faults: opts.faults,
    onReset: () => buckets.clear(),
    faultResponse: (f) => {
      if (f.mode === "outage") return f.connectionReset ? "reset" : tagoError(503, "Service Unavailable");
      if (f.mode === "rate_limit_storm")
        return tagoError(429, `Too many requests (Retry-After: ${f.retryAfterSec ?? 30})`);
      if (f.mode === "expire_tokens") return tagoError(401, "Authorization denied");
      return null;
    },
  });
}

/** Records of every delivery created in [from, to), grouped per acquisition: one action POST each. */
export function tagoActionBatches(devices: readonly TagoSimDevice[], from: Date, to: Date): TagoRecord[][] {
  const batches: { at: number; records: TagoRecord[] }[] = [];
  for (const device of devices) {
    for (const s of samplesForward(device.well, new Date(from.getTime() - maxDeliveryLagSec(device.well) * 1000), to)) {
      for (const d of deliveries(s))
        if (d.at >= from && d.at < to)
          batches.push({ at: d.at.getTime(), records: tagoRecords(device, s, d.copy, d.at) });
    }
  }
  return batches.sort((a, b) => a.at - b.at).map((b) => b.records);
}

/** Tago Action "Post data to HTTP Endpoint": one POST with an array of records. */
export async function sendAction(
  targetUrl: string,
  headers: Record<string, string>,
  records: readonly TagoRecord[],
  attempt = 1,
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(targetUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "tagoio-retries": String(attempt), ...headers },
      body: JSON.stringify(records),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { status: 0, body: (e as Error).message };
  }
}
