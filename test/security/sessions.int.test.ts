import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { handleRest } from "@/server/api/rest";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { authEvents } from "@/server/auth/next-auth";
import { principalForSession } from "@/server/auth/request-principal";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, FIXTURE_PASSWORD, type Fixture } from "@/test/fixture";

let f: Fixture;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

async function restToken(email: string, password = FIXTURE_PASSWORD): Promise<string> {
  const res = await tokenRoute(
    new Request("http://localhost/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}
const me = (t: string) =>
  handleRest(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${t}` } }), "/me");

/** Finding 8: signing out and changing the password end sessions (the session version is checked where the principal is loaded). */
describe("session revocation", () => {
  it("sign-out ends the portal session and the user's REST tokens", async () => {
    const id = f.users.viewerA.id;
    const t = await restToken("viewer.a@test.cl");
    const session = { id: String(id), sv: 0 };
    expect(await principalForSession(getDb(), session)).not.toBeNull();
    await authEvents.signOut({ token: { sub: String(id) } });
    expect(await principalForSession(getDb(), session)).toBeNull();
    expect((await me(t)).status).toBe(401);
    // A new sign-in gets the new version and works.
    expect((await me(await restToken("viewer.a@test.cl"))).status).toBe(200);
  });

  it("a password change ends the user's existing sessions and tokens", async () => {
    const t = await restToken("manager.a@test.cl");
    const sv = (await getDb().user.findUniqueOrThrow({ where: { id: f.users.managerA.id } })).sessionVersion;
    await runOperation(operations.users.update, getDb(), f.principals.admin, {
      id: f.users.managerA.id,
      password: "Otra-Clave-Segura-9",
    });
    expect((await me(t)).status).toBe(401);
    expect(await principalForSession(getDb(), { id: String(f.users.managerA.id), sv })).toBeNull();
    expect((await me(await restToken("manager.a@test.cl", "Otra-Clave-Segura-9"))).status).toBe(200);
  });
});
