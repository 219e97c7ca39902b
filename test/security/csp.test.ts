import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";

process.env.AUTH_SECRET ??= "unit-auth-secret-0123456789abcdef0123456789";
process.env.ENCRYPTION_KEY ??= "0".repeat(64);

/** Finding 11: scripts run by nonce, never by 'unsafe-inline'; finding 6: the proxy refuses a declared oversize body. */
describe("proxy: nonce CSP and body limit", async () => {
  const { proxy } = await import("@/proxy");

  it("sends a fresh nonce per request and no 'unsafe-inline' for scripts", () => {
    const a = proxy(new NextRequest("http://localhost/login"));
    const b = proxy(new NextRequest("http://localhost/login"));
    const csp = a.headers.get("content-security-policy") ?? "";
    const script = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(script).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(script).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(b.headers.get("content-security-policy")).not.toBe(csp);
    // Next.js reads the policy from the forwarded request headers to put the nonce on its scripts.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("refuses a body declared larger than the one limit on any route", () => {
    for (const path of [
      "/api/v1/auth/token",
      "/api/trpc/points.create",
      "/api/v1/points",
      "/api/auth/callback/credentials",
    ]) {
      const res = proxy(
        new NextRequest(`http://localhost${path}`, {
          method: "POST",
          headers: { "content-length": String(20_000_000) },
        }),
      );
      expect(res.status, path).toBe(413);
    }
  });
});
