import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { decryptSecret } from "@/server/crypto";
import { assertDemoSeedAllowed } from "@/server/seed/demo";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, FIXTURE_PASSWORD, type Fixture } from "@/test/fixture";

let f: Fixture;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

/** Finding 9: a manager of A sees A's users, never their memberships elsewhere. */
describe("users.list membership leak", () => {
  it("lists a user of both tenants with only the caller's tenant memberships", async () => {
    const both = (await runOperation(operations.users.create, getDb(), f.principals.admin, {
      email: "both@test.cl",
      name: "Ambos",
      password: FIXTURE_PASSWORD,
      memberships: [
        { clientId: f.clientA.id, role: "viewer" },
        { clientId: f.clientB.id, role: "manager" },
      ],
    })) as { id: number };
    const list = (await runOperation(operations.users.list, getDb(), f.principals.managerA, {})) as {
      id: number;
      memberships: { clientId: number; client: { name: string } }[];
    }[];
    const row = list.find((u) => u.id === both.id)!;
    expect(row.memberships.map((m) => m.clientId)).toEqual([f.clientA.id]);
    expect(JSON.stringify(list)).not.toContain("Cliente B");
    const staff = (await runOperation(operations.users.list, getDb(), f.principals.admin, {})) as typeof list;
    expect(staff.find((u) => u.id === both.id)!.memberships).toHaveLength(2);
  });
});

/** Finding 10: audit rows carry the tenant and the before state; denials and failed logins are security events. */
describe("audit gaps", () => {
  it("apiKeys.revoke records the key's tenant and its state before", async () => {
    await runOperation(operations.apiKeys.revoke, getDb(), f.principals.admin, { id: f.apiKeyA.row.id });
    const row = await getDb().auditLog.findFirstOrThrow({
      where: { action: "apiKeys.revoke" },
      orderBy: { id: "desc" },
    });
    expect(row.clientId).toBe(f.clientA.id);
    expect((row.before as { revokedAt: unknown }).revokedAt).toBeNull();
    expect((row.after as { revokedAt: unknown }).revokedAt).not.toBeNull();
  });

  it("users.create/update with memberships record one row per tenant touched", async () => {
    const u = (await runOperation(operations.users.create, getDb(), f.principals.admin, {
      email: "nuevo@test.cl",
      name: "Nuevo",
      password: FIXTURE_PASSWORD,
      memberships: [{ clientId: f.clientA.id, role: "viewer" }],
    })) as { id: number };
    const created = await getDb().auditLog.findMany({ where: { action: "users.create", entityId: String(u.id) } });
    expect(created.map((r) => r.clientId)).toEqual([f.clientA.id]);
    await runOperation(operations.users.update, getDb(), f.principals.admin, {
      id: u.id,
      memberships: [{ clientId: f.clientB.id, role: "viewer" }],
    });
    const updated = await getDb().auditLog.findMany({ where: { action: "users.update", entityId: String(u.id) } });
    expect(updated.map((r) => r.clientId).sort()).toEqual([f.clientA.id, f.clientB.id].sort());
  });

  it("a denied attempt is recorded as a security event without the target tenant", async () => {
    const err = await runOperation(operations.points.get, getDb(), f.principals.managerB, { id: f.a.point.id }).catch(
      (e: unknown) => e,
    );
    expect(AppError.is(err, "NOT_FOUND")).toBe(true);
    const ev = await getDb().auditLog.findFirstOrThrow({
      where: { entity: "security", action: "access.denied", actorUserId: f.users.managerB.id },
    });
    expect(ev.clientId).toBeNull();
    expect(ev.after).toMatchObject({ operation: "points.get", outcome: "NOT_FOUND" });
  });
});

/** Finding 12: credentials are never sent to a new host; the demo seed refuses real data. */
describe("provider base URL and demo seed", () => {
  it("changing baseUrl without re-entering credentials is refused; with them it works", async () => {
    const err = await runOperation(operations.providers.updateAccount, getDb(), f.principals.admin, {
      id: f.a.account.id,
      baseUrl: "https://attacker.example",
    }).catch((e: unknown) => e);
    expect(AppError.is(err, "BAD_INPUT")).toBe(true);
    expect((await getDb().providerAccount.findUniqueOrThrow({ where: { id: f.a.account.id } })).baseUrl).toBe(
      "http://127.0.0.1:4014",
    );
    await runOperation(operations.providers.updateAccount, getDb(), f.principals.admin, {
      id: f.a.account.id,
      name: "Renombrada",
    });
    await runOperation(operations.providers.updateAccount, getDb(), f.principals.admin, {
      id: f.a.account.id,
      baseUrl: "https://api.tago.io",
      credentials: { token: "nuevo" },
    });
    const row = await getDb().providerAccount.findUniqueOrThrow({ where: { id: f.a.account.id } });
    expect(row.baseUrl).toBe("https://api.tago.io");
    expect(JSON.parse(decryptSecret(row.credentialsEnc!))).toEqual({ token: "nuevo" });
  });

  it("seed-demo refuses a database with non-demo data or NODE_ENV=production unless forced", async () => {
    await expect(assertDemoSeedAllowed(getDb(), { nodeEnv: "development", force: false })).rejects.toThrow(
      /non-demo data/,
    );
    await expect(assertDemoSeedAllowed(getDb(), { nodeEnv: "production", force: false })).rejects.toThrow(/production/);
    await expect(
      assertDemoSeedAllowed(getDb(), { nodeEnv: "production", force: false, productionDemo: true }),
    ).rejects.toThrow(/non-demo data/);
    await expect(assertDemoSeedAllowed(getDb(), { nodeEnv: "production", force: true })).resolves.toBeUndefined();
    await truncateAll();
    await expect(assertDemoSeedAllowed(getDb(), { nodeEnv: "development", force: false })).resolves.toBeUndefined();
    await expect(
      assertDemoSeedAllowed(getDb(), { nodeEnv: "production", force: false, productionDemo: true }),
    ).resolves.toBeUndefined();
  });
});
