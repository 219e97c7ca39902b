import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { handleRest } from "@/server/api/rest";
import { issueRestToken } from "@/server/auth/rest-token";
import { getRedis } from "@/server/redis";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, FIXTURE_PASSWORD, type Fixture } from "@/test/fixture";

// Small enough to reach in a test; read when env() is first parsed (in beforeAll).
process.env.LOGIN_FAILS_PER_IP_DAY = "20";

let f: Fixture;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const keys = await getRedis().keys(`${process.env.REDIS_NAMESPACE}:rl:*`);
  if (keys.length) await getRedis().del(...keys);
});
afterAll(closeAll);

const token = (body: unknown, ip = "10.9.9.9") =>
  tokenRoute(
    new Request("http://localhost/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    }),
  );

describe("REST authentication", () => {
  it("issues a short-lived JWT for valid credentials that opens the API", async () => {
    const res = await token({ email: "admin@test.cl", password: FIXTURE_PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    const me = await handleRest(
      new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${body.access_token}` } }),
      "/me",
    );
    expect(me.status).toBe(200);
    expect(((await me.json()) as { label: string }).label).toBe("admin@test.cl");
  });

  it("rejects an expired JWT", async () => {
    const { token: t } = await issueRestToken(`user:${f.users.admin.id}`, new Date(Date.now() - 3600_000), 60);
    const res = await handleRest(
      new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${t}` } }),
      "/me",
    );
    expect(res.status).toBe(401);
  });

  it("rejects a JWT signed with another secret or tampered with", async () => {
    const { token: t } = await issueRestToken(`user:${f.users.admin.id}`, new Date());
    const [h, p] = t.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: `user:${f.users.admin.id}`, exp: 9999999999 })).toString("base64url")}.${t.split(".")[2]}`;
    for (const bad of [forged, `${h}.${p}.AAAA`]) {
      const res = await handleRest(
        new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${bad}` } }),
        "/me",
      );
      expect(res.status).toBe(401);
    }
  });

  it("a disabled user's token stops working at once", async () => {
    const { token: t } = await issueRestToken(`user:${f.users.viewerA.id}`, new Date());
    await getDb().user.update({ where: { id: f.users.viewerA.id }, data: { active: false } });
    const res = await handleRest(
      new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${t}` } }),
      "/me",
    );
    expect(res.status).toBe(401);
    await getDb().user.update({ where: { id: f.users.viewerA.id }, data: { active: true } });
  });

  it("throttles failures in a row per account and IP with a growing pause, 429 and Retry-After, even for the right password", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await token({ email: "operator@test.cl", password: `wrong-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const locked = await token({ email: "operator@test.cl", password: FIXTURE_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  // Finding 4: a stranger who knows the admin's address must not be able to lock the admin out.
  it("is lockout-safe: failures from one IP do not lock the account out from another", async () => {
    for (let i = 0; i < 6; i++) await token({ email: "admin@test.cl", password: `wrong-${i}` }, "203.0.113.66");
    expect((await token({ email: "admin@test.cl", password: FIXTURE_PASSWORD }, "203.0.113.66")).status).toBe(429);
    expect((await token({ email: "admin@test.cl", password: FIXTURE_PASSWORD }, "198.51.100.7")).status).toBe(200);
  });

  it("takes the client IP from the trusted end of X-Forwarded-For, so rotating a spoofed first entry does not reset the count", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await token({ email: "manager.b@test.cl", password: "nope" }, `1.1.1.${i}, 10.5.5.5`)).status);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it("records failed and throttled logins as security events", async () => {
    const events = await getDb().auditLog.findMany({ where: { entity: "security", actorLabel: "operator@test.cl" } });
    expect(events.some((e) => e.action === "auth.login_failed")).toBe(true);
    expect(events.some((e) => e.action === "auth.login_throttled")).toBe(true);
    expect(JSON.stringify(events.map((e) => e.after))).not.toContain("wrong-");
  });

  it("throttles one IP trying many accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push((await token({ email: `nobody${i}@test.cl`, password: "x" }, "10.7.7.7")).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });

  it("exchanges an API key for a token and refuses a revoked one", async () => {
    const ok = await token({ grant_type: "client_credentials", client_secret: f.apiKeyA.key });
    expect(ok.status).toBe(200);
    const { access_token } = (await ok.json()) as { access_token: string };
    await getDb().apiKey.update({ where: { id: f.apiKeyA.row.id }, data: { revokedAt: new Date() } });
    expect((await token({ grant_type: "client_credentials", client_secret: f.apiKeyA.key })).status).toBe(401);
    const res = await handleRest(
      new Request(`http://localhost/api/v1/points/${f.a.point.id}`, {
        headers: { authorization: `Bearer ${access_token}` },
      }),
      `/points/${f.a.point.id}`,
    );
    expect(res.status).toBe(401);
  });

  it("answers malformed token requests with 400 and a clear message", async () => {
    const res = await tokenRoute(
      new Request("http://localhost/api/v1/auth/token", { method: "POST", body: "{not json" }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
  });
});
