import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFromRequest } from "@/server/auth/request-principal";
import { issueRestToken } from "@/server/auth/rest-token";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";

let f: Fixture;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

const request = (authorization?: string) =>
  new Request("http://localhost/api/trpc/me.get", { headers: authorization ? { authorization } : {} });
/** A signed-in portal session of manager A (what next-auth's auth() returns). */
const managerSession = () => async () => ({ user: { id: String(f.users.managerA.id), sv: 0 } });
const noSession = async () => null;
const resolve = (req: Request, readSession: () => Promise<{ user?: { id?: string; sv?: unknown } } | null>) =>
  principalFromRequest(req, { prisma: getDb(), readSession });

describe("principalFromRequest: Bearer first, then the session cookie", () => {
  it("without an Authorization header the portal session decides", async () => {
    expect((await resolve(request(), managerSession()))?.label).toBe("manager.a@test.cl");
    expect(await resolve(request(), noSession)).toBeNull();
  });

  it("a valid Bearer wins over a session of someone else", async () => {
    const apiKey = await resolve(request(`Bearer ${f.apiKeyA.key}`), managerSession());
    expect(apiKey?.kind).toBe("apiKey");
    const { token } = await issueRestToken(`user:${f.users.viewerA.id}`, new Date());
    const viewer = await resolve(request(`Bearer ${token}`), managerSession());
    expect(viewer?.label).toBe("viewer.a@test.cl");
  });

  it("a Bearer that fails is final: no fall-back to the cookie", async () => {
    for (const header of ["Bearer shk_not-a-key", "Bearer not.a.jwt", "Bearer", "bearer   "]) {
      expect(await resolve(request(header), managerSession()), header).toBeNull();
    }
  });

  it("a revoked API key stays rejected even with a signed-in session in the same browser", async () => {
    const key = await getDb().apiKey.findUniqueOrThrow({ where: { id: f.apiKeyA.row.id } });
    await getDb().apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    try {
      expect(await resolve(request(`Bearer ${f.apiKeyA.key}`), managerSession())).toBeNull();
    } finally {
      await getDb().apiKey.update({ where: { id: key.id }, data: { revokedAt: null } });
    }
  });

  it("another scheme (a proxy's Basic auth) is not a claim: the session decides", async () => {
    const basic = `Basic ${Buffer.from("staging:secret").toString("base64")}`;
    expect((await resolve(request(basic), managerSession()))?.label).toBe("manager.a@test.cl");
    expect(await resolve(request(basic), noSession)).toBeNull();
  });

  it("a session issued before a sign-out (stale version) or a failing session reader yields no principal", async () => {
    const stale = async () => ({ user: { id: String(f.users.managerA.id), sv: -1 } });
    expect(await resolve(request(), stale)).toBeNull();
    const broken = async () => {
      throw new Error("JWTSessionError");
    };
    expect(await resolve(request(), broken)).toBeNull();
  });
});
