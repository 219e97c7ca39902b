import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { createHmac, randomBytes } from "node:crypto";
import { AppError } from "@/domain/errors";
import { isIP, isNonPublicIp, matchesAllowlist } from "@/domain/net/ip";

/** Header of outgoing webhooks: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (docs/SECURITY.md). */
export const SIGNATURE_HEADER = "x-smarthydro-signature";

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

function signWebhook(secret: string, body: string, unixSec: number): string {
  return `t=${unixSec},v1=${createHmac("sha256", secret).update(`${unixSec}.${body}`).digest("hex")}`;
}

export const parseAllowlist = (raw: string) =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const refused = (host: string) =>
  new AppError("BAD_INPUT", `Destino no permitido: ${host} es una dirección interna o reservada`);

function checkAddress(host: string, address: string, allowlist: readonly string[]): void {
  if (isNonPublicIp(address) && !matchesAllowlist(host, allowlist) && !matchesAllowlist(address, allowlist))
    throw refused(host);
}

/**
 * A URL an outgoing webhook may target: http(s), no credentials, and a host whose every address is
 * public (or allowlisted). Checked when a rule is saved; the send checks again per connection.
 */
export async function assertWebhookTarget(raw: string, allowlist: readonly string[]): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("BAD_INPUT", "URL inválida");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("BAD_INPUT", "La URL debe ser http(s)");
  if (url.username || url.password) throw new AppError("BAD_INPUT", "La URL no puede llevar usuario ni contraseña");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    checkAddress(host, host, allowlist);
    return url;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, a) =>
      err ? reject(new AppError("BAD_INPUT", `No se pudo resolver ${host}`)) : resolve(a),
    ),
  );
  for (const a of addresses) checkAddress(host, a.address, allowlist);
  return url;
}

/** DNS lookup for the socket itself: every address is checked at connect time, so a rebinding name cannot slip through. */
export function guardedLookup(allowlist: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 4);
      try {
        for (const a of addresses) checkAddress(hostname, a.address, allowlist);
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, "", 4);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * POSTs a signed JSON webhook. Redirects are not followed (a 3xx is a failure), the target is
 * re-checked at connect time, and the answer body is not read beyond its status.
 */
export async function postWebhook(
  target: string,
  body: string,
  opts: {
    secret: string | null;
    allowlist: readonly string[];
    timeoutMs: number;
    headers?: Record<string, string>;
    now?: Date;
  },
): Promise<number> {
  const url = await assertWebhookTarget(target, opts.allowlist);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "SmartHydro-Webhook/1",
    ...opts.headers,
  };
  if (opts.secret)
    headers[SIGNATURE_HEADER] = signWebhook(opts.secret, body, Math.floor((opts.now ?? new Date()).getTime() / 1000));
  const mod = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = mod.request(
      url,
      { method: "POST", headers, agent: false, lookup: guardedLookup(opts.allowlist), timeout: opts.timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400)
          reject(
            new AppError("PROVIDER_PERMANENT", `webhook answered a redirect (${status}); redirects are not followed`),
          );
        else resolve(status);
      },
    );
    req.on("timeout", () => req.destroy(new AppError("PROVIDER_UNAVAILABLE", "webhook timed out")));
    req.on("error", reject);
    req.end(body);
  });
}
