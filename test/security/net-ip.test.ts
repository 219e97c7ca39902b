import { isIP as nodeIsIP } from "node:net";
import { describe, expect, it } from "vitest";
import { clientIpFromForwarded, isIP, isNonPublicIp, matchesAllowlist } from "@/domain/net/ip";
import { loginDelaySec } from "@/domain/auth/login-throttle";
import { nulBytePath } from "@/domain/text";

describe("address classification for outgoing webhooks (finding 1)", () => {
  it("refuses loopback, private, link-local/metadata, CGNAT, multicast and reserved addresses, v4 and v6", () => {
    for (const ip of [
      "127.0.0.1",
      "127.9.9.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "100.127.255.254",
      "224.0.0.1",
      "239.255.255.250",
      "0.0.0.0",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "64:ff9b::a9fe:a9fe",
    ]) {
      expect(isNonPublicIp(ip), ip).toBe(true);
    }
    for (const ip of ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isNonPublicIp(ip), ip).toBe(false);
    expect(isNonPublicIp("not-an-ip")).toBe(true);
  });

  it("parses IP literals as node:net does", () => {
    for (const s of [
      "1.2.3.4",
      "256.1.1.1",
      "01.2.3.4",
      "::",
      "::1",
      "1::",
      "fe80::1%eth0",
      "2001:db8::8a2e:370:7334",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8:9",
      "::ffff:1.2.3.4",
      ":::",
      "abc",
      "1.2.3",
      "g::1",
    ]) {
      expect(isIP(s), s).toBe(nodeIsIP(s));
    }
  });

  it("an operator allowlist admits named hosts, IPs and CIDRs only", () => {
    expect(matchesAllowlist("10.0.5.7", ["10.0.5.0/24"])).toBe(true);
    expect(matchesAllowlist("10.0.6.7", ["10.0.5.0/24"])).toBe(false);
    expect(matchesAllowlist("hooks.internal", ["hooks.internal"])).toBe(true);
    expect(matchesAllowlist("127.0.0.1", [""])).toBe(false);
  });
});

describe("client IP behind a configured number of proxies (finding 4)", () => {
  it("never takes the client-written left part of X-Forwarded-For", () => {
    expect(clientIpFromForwarded("6.6.6.6, 203.0.113.9", 0)).toBe("203.0.113.9");
    expect(clientIpFromForwarded("6.6.6.6, 203.0.113.9, 10.0.0.2", 1)).toBe("203.0.113.9");
    expect(clientIpFromForwarded("203.0.113.9", 0)).toBe("203.0.113.9");
    expect(clientIpFromForwarded(null, 0)).toBe("unknown");
    expect(clientIpFromForwarded("garbage", 0)).toBe("unknown");
  });

  it("progressive delay: free first failures, then doubling, then a pause at the limit", () => {
    expect([0, 1, 2].map((n) => loginDelaySec(n, 10))).toEqual([0, 0, 0]);
    expect([3, 4, 5].map((n) => loginDelaySec(n, 10))).toEqual([1, 2, 4]);
    expect(loginDelaySec(10, 10)).toBe(3600);
  });
});

describe("NUL bytes in inputs (finding 7)", () => {
  it("are found wherever they hide", () => {
    expect(nulBytePath({ a: "x", b: [{ c: "y\u0000" }] })).toBe("b.0.c");
    expect(nulBytePath({ a: "x" })).toBeNull();
    expect(nulBytePath("\u0000")).toBe("");
  });
});
