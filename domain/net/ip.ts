/**
 * Address ranges an outgoing webhook must never reach unless an operator allows them: the host
 * itself, private networks, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast and
 * the other special-purpose blocks. Pure: the caller resolves names.
 */
const BLOCKED_V4: readonly [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];
const BLOCKED_V6: readonly [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 32],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
];

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4 or 6 for a literal IPv4 or IPv6 address (zone ids allowed), 0 otherwise; like node:net's isIP, without I/O imports. */
export function isIP(s: string): 0 | 4 | 6 {
  if (V4.test(s)) return 4;
  const addr = s.split("%")[0]!;
  if (!/^[0-9a-f:.]+$/i.test(addr) || !addr.includes(":")) return 0;
  const v4Tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4Tail && !V4.test(v4Tail[1]!)) return 0;
  const hex = v4Tail ? `${addr.slice(0, -v4Tail[1]!.length)}0:0` : addr;
  const parts = hex.split("::");
  if (parts.length > 2) return 0;
  const groups = parts.flatMap((p) => (p ? p.split(":") : []));
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return 0;
  return (parts.length === 2 ? groups.length <= 7 : groups.length === 8) ? 6 : 0;
}

function v4ToBigInt(ip: string): bigint {
  return ip.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function v6ToBigInt(ip: string): bigint {
  let s = ip.toLowerCase().split("%")[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = v4ToBigInt(v4[1]!);
    s = s.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.includes("::") ? s.split("::") : [s, undefined];
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

function inCidr(value: bigint, bits: number, base: bigint, prefix: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 form; anything else unchanged. */
function unmapIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const n = v6ToBigInt(ip);
  if (n >> 32n !== 0xffffn) return ip;
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join(".");
}

/** True for an address outside the public internet (loopback, private, link-local, CGNAT, multicast, reserved). */
export function isNonPublicIp(raw: string): boolean {
  const ip = unmapIp(raw);
  const v = isIP(ip);
  if (v === 4) return BLOCKED_V4.some(([b, p]) => inCidr(v4ToBigInt(ip), 32, v4ToBigInt(b), p));
  if (v === 6) return BLOCKED_V6.some(([b, p]) => inCidr(v6ToBigInt(ip), 128, v6ToBigInt(b), p));
  return true;
}

/** Whether an address or host name matches an allowlist entry: an exact host name, an IP or a CIDR. */
export function matchesAllowlist(hostOrIp: string, allowlist: readonly string[]): boolean {
  const host = hostOrIp.toLowerCase().replace(/^\[|\]$/g, "");
  const ip = unmapIp(host);
  for (const entry of allowlist) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    if (e === host || e === ip) return true;
    const [base, p] = e.split("/");
    if (p === undefined || !base) continue;
    const prefix = Number(p);
    if (
      isIP(base) === 4 &&
      isIP(ip) === 4 &&
      prefix >= 0 &&
      prefix <= 32 &&
      inCidr(v4ToBigInt(ip), 32, v4ToBigInt(base), prefix)
    )
      return true;
    if (
      isIP(base) === 6 &&
      isIP(ip) === 6 &&
      prefix >= 0 &&
      prefix <= 128 &&
      inCidr(v6ToBigInt(ip), 128, v6ToBigInt(base), prefix)
    )
      return true;
  }
  return false;
}

/**
 * The client address of a request: with `hops` trusted reverse proxies in front, each appending the
 * address it saw to X-Forwarded-For, the client is the entry `hops` places from the right (with no
 * proxy, the last entry, which Next.js fills from the socket). Entries further left are whatever
 * the client wrote and are never used.
 */
export function clientIpFromForwarded(xff: string | null, hops: number): string {
  const entries = (xff ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const pick = entries[entries.length - 1 - hops] ?? entries[0];
  return pick && isIP(unmapIp(pick)) ? unmapIp(pick) : "unknown";
}
