import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleRest } from "@/server/api/rest";
import { issueRestToken } from "@/server/auth/rest-token";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";

let f: Fixture;
let adminToken: string;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  adminToken = (await issueRestToken(`user:${f.users.admin.id}`, new Date())).token;
});
afterAll(closeAll);

async function call(method: string, path: string, body?: unknown) {
  const res = await handleRest(
    new Request(`http://localhost/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }),
    path.split("?")[0]!,
  );
  return { status: res.status, text: await res.text() };
}

describe("secrets are write-only", () => {
  it("provider credentials and push secrets never come back, except the push secret once at creation", async () => {
    const created = await call("POST", "/provider-accounts", {
      clientId: f.clientA.id,
      kind: "tdata",
      name: "TData X",
      baseUrl: "http://127.0.0.1:4011/tdata/v1",
      credentials: { username: "svc", password: "s3cr3t-provider-pass" },
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain("s3cr3t-provider-pass");
    const pushSecret = (JSON.parse(created.text) as { pushSecret: string }).pushSecret;
    expect(pushSecret.length).toBeGreaterThan(20);
    const list = await call("GET", `/provider-accounts?clientId=${f.clientA.id}`);
    for (const secret of ["s3cr3t-provider-pass", pushSecret, "tok-a", "credentialsEnc", "pushSecretHash"])
      expect(list.text).not.toContain(secret);
    expect(list.text).toContain('"hasCredentials":true');
  });

  it("informante passwords never come back", async () => {
    const created = await call("POST", "/informantes", {
      clientId: f.clientA.id,
      name: "Informante X",
      rut: "11111111-1",
      password: "clave-mee-secreta",
    });
    expect(created.status).toBe(201);
    const list = await call("GET", `/informantes?clientId=${f.clientA.id}`);
    for (const text of [created.text, list.text]) {
      expect(text).not.toContain("clave-mee-secreta");
      expect(text).not.toContain("passwordEnc");
    }
  });

  it("API keys are shown once; lists carry only the prefix", async () => {
    const created = await call("POST", "/api-keys", { clientId: f.clientA.id, name: "ERP", scopes: ["points:read"] });
    const key = (JSON.parse(created.text) as { key: string }).key;
    expect(key).toMatch(/^shk_/);
    const list = await call("GET", "/api-keys");
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain('"hash"');
  });

  it("user password hashes never come back", async () => {
    const list = await call("GET", "/users");
    expect(list.status).toBe(200);
    expect(list.text).not.toContain("passwordHash");
    expect(list.text).not.toContain("$2");
  });

  it("audit rows of secret changes carry no secret", async () => {
    await call("PUT", `/informantes/${f.a.informante.id}`, { password: "otra-clave-secreta" });
    const rows = await getDb().auditLog.findMany();
    const dump = JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    for (const s of ["otra-clave-secreta", "clave-mee-secreta", "s3cr3t-provider-pass"]) expect(dump).not.toContain(s);
  });
});
