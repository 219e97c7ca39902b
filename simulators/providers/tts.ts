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
import { deviceUplinks, nanoKey } from "./tts-uplinks";
import type { WellConfig } from "./wells";

export interface TtsSimDevice {
  applicationId: string;
  deviceId: string;
  devEui: string;
  well: WellConfig;
  variables: readonly VariableMapping[];
  /** decoded_payload key carrying the device's own measurement time (epoch s), or null. */
  deviceTimeKey: string | null;
  /** Share of uplinks whose payload formatter fails (no decoded_payload). */
  decodeFailRate?: number;
}

export interface TtsSimOptions {
  /** API keys (NNSXS.…) and the applications each one may read. */
  apiKeys: readonly { key: string; applicationIds: readonly string[] }[];
  devices: readonly TtsSimDevice[];
  now?: () => Date;
  faults?: FaultSpec[];
  /** Storage writes are batched: uplinks become readable this long after received_at. */
  storageLagSec?: number;
  /** TTS Cloud keeps 30 days, the TTN Sandbox 24 h. */
  retentionDays?: number;
}

const grpcError = (
  status: number,
  code: number,
  namespace: string,
  name: string,
  message: string,
  headers: Record<string, string> = {},
) =>
  json(
    status,
    {
      code,
      message: `error:${namespace}:${name} (${message})`,
      details: [
        { "@type": "type.googleapis.com/ttn.lorawan.v3.ErrorDetails", namespace, name, message_format: message, code },
      ],
    },
    headers,
  );

/** The Things Stack v3 Storage Integration (§2A.4) plus the application auth probe. */
export function createTtsSimulator(opts: TtsSimOptions): SimHandle {
  const now = opts.now ?? (() => new Date());

  const authorize = (req: SimRequest, app: string): SimResponse | null => {
    const key = /^Bearer (NNSXS\..+)$/.exec(req.headers.authorization ?? "")?.[1];
    const grant = opts.apiKeys.find((k) => k.key === key);
    if (!grant) return grpcError(401, 16, "pkg/auth", "token_not_found", "token not found");
    if (!grant.applicationIds.includes(app))
      return grpcError(403, 7, "pkg/auth/rights", "no_application_rights", `no rights for application \`${app}\``);
    return null;
  };

  const storage = (req: SimRequest, app: string, deviceId: string | null): SimResponse => {
    const denied = authorize(req, app);
    if (denied) return denied;
    const devices = opts.devices.filter(
      (d) => d.applicationId === app && (deviceId === null || d.deviceId === deviceId),
    );
    if (deviceId !== null && devices.length === 0)
      return grpcError(404, 5, "pkg/registry", "end_device_not_found", `end device \`${app}.${deviceId}\` not found`);
    const q = req.url.searchParams;
    const last = q.get("last");
    if (last && (q.has("after") || q.has("before")))
      return grpcError(
        400,
        3,
        "pkg/applicationserver/io/packages/storage",
        "invalid_request",
        "last cannot be combined with after/before",
      );
    const visibleUntil = BigInt(now().getTime() - (opts.storageLagSec ?? 30) * 1000) * 1_000_000n;
    const parse = (name: string) => (q.has(name) ? nanoKey(q.get(name)!) : null);
    let after = parse("after");
    const beforeParam = parse("before");
    if ((q.has("after") && after === null) || (q.has("before") && beforeParam === null)) {
      return grpcError(
        400,
        3,
        "pkg/applicationserver/io/packages/storage",
        "invalid_timestamp",
        "after/before must be RFC 3339",
      );
    }
    const lastSec = last ? /^(\d+)([hms])$/.exec(last) : null;
    if (lastSec)
      after =
        visibleUntil -
        BigInt(Number(lastSec[1]) * { h: 3600, m: 60, s: 1 }[lastSec[2] as "h" | "m" | "s"]) * 1_000_000_000n;
    const oldest = visibleUntil - BigInt(Math.round((opts.retentionDays ?? 30) * 86400)) * 1_000_000_000n;
    if (after === null || after < oldest) after = oldest;
    const before = beforeParam !== null && beforeParam < visibleUntil ? beforeParam : visibleUntil;
    const desc = q.get("order") === "-received_at";
    const limit = Math.max(1, intParam(req.url, "limit", 1000));
    const all = devices
      .flatMap((d) => deviceUplinks(d, after, before))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (desc) all.reverse();
    const page = all.slice(0, limit);
    const sse = (req.headers.accept ?? "").includes("text/event-stream");
    const sep = sse ? "\n\n" : "\n";
    const chunks = page.map((u) => JSON.stringify({ result: u.up }) + sep);
    if (req.faults.some((f) => f.mode === "outage" && f.midStream)) {
      chunks.splice(Math.ceil(chunks.length / 2));
      chunks.push(
        JSON.stringify({
          error: {
            grpc_code: 14,
            http_code: 503,
            message: "error:pkg/applicationserver/io/packages/storage:unavailable (storage unavailable)",
            http_status: "Service Unavailable",
            details: [],
          },
        }) + sep,
      );
    }
    return {
      status: 200,
      headers: { "content-type": sse ? "text/event-stream" : "application/json", "x-total-count": String(all.length) },
      chunks,
      route: deviceId === null ? "GET storage app" : "GET storage device",
    };
  };

  const handle = (req: SimRequest): SimResponse => {
    const p = req.url.pathname;
    let m = /^\/api\/v3\/as\/applications\/([^/]+)(?:\/devices\/([^/]+))?\/packages\/storage\/uplink_message$/.exec(p);
    if (req.method === "GET" && m)
      return storage(req, decodeURIComponent(m[1]!), m[2] ? decodeURIComponent(m[2]) : null);
    m = /^\/api\/v3\/applications\/([^/]+)$/.exec(p);
    if (req.method === "GET" && m) {
      const app = decodeURIComponent(m[1]!);
      return authorize(req, app) ?? json(200, { ids: { application_id: app }, created_at: "2024-01-01T00:00:00Z" });
    }
    return grpcError(404, 5, "pkg/web", "not_found", "route not found");
  };

  return createSimServer({
    name: "tts",
    now,
    handle,
    faults: opts.faults,
    faultResponse: (f) => {
      if (f.mode === "outage")
        return f.midStream
          ? null
          : f.connectionReset
            ? "reset"
            : grpcError(503, 14, "pkg/web", "unavailable", "service unavailable");
      if (f.mode === "rate_limit_storm") {
        const retry = String(f.retryAfterSec ?? 20);
        return grpcError(
          429,
          8,
          "pkg/ratelimit",
          "rate_limit_exceeded",
          "rate limit of `1200` accesses per minute exceeded",
          {
            "x-rate-limit-limit": "1200",
            "x-rate-limit-available": "0",
            "x-rate-limit-reset": retry,
            "x-rate-limit-retry": retry,
          },
        );
      }
      if (f.mode === "expire_tokens") return grpcError(401, 16, "pkg/auth", "token_expired", "token expired");
      return null;
    },
  });
}

export interface PushReport {
  sent: number;
  failed: number;
  statuses: number[];
}

/**
 * Webhook sender: POSTs each uplink received in [from, to) as one ApplicationUp JSON body, oldest
 * first, once (TTS retries are off by default). `{appID}`/`{devID}` in the URL are expanded.
 */
export async function sendUplinks(
  targetUrl: string,
  headers: Record<string, string>,
  devices: readonly TtsSimDevice[],
  from: Date,
  to: Date,
): Promise<PushReport> {
  const lo = BigInt(from.getTime()) * 1_000_000n;
  const hi = BigInt(to.getTime()) * 1_000_000n - 1n;
  const items = devices
    .flatMap((d) => deviceUplinks(d, lo, hi).map((u) => ({ d, u })))
    .sort((a, b) => (a.u.key < b.u.key ? -1 : 1));
  const report: PushReport = { sent: 0, failed: 0, statuses: [] };
  for (const { d, u } of items) {
    const url = targetUrl
      .replaceAll("{appID}", encodeURIComponent(d.applicationId))
      .replaceAll("{devID}", encodeURIComponent(d.deviceId));
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "TheThingsStack/3.34 (simulator)",
          "x-tts-domain": "au1.cloud.thethings.network",
          ...headers,
        },
        body: JSON.stringify(u.up),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      report.statuses.push(res.status);
      if (res.ok) report.sent++;
      else report.failed++;
    } catch {
      report.statuses.push(0);
      report.failed++;
    }
  }
  return report;
}
