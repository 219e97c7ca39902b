import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { can, type Role } from "@/domain/auth/permissions";
import { OPERATIONS } from "@/server/api/operations";
import { runOperation } from "@/server/api/run-operation";
import { handleRest } from "@/server/api/rest";
import { appRouter } from "@/server/trpc/root";
import { createCaller } from "@/server/trpc/root";
import { createInnerContext } from "@/server/trpc/init";
import { issueRestToken } from "@/server/auth/rest-token";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { MATRIX } from "./test-matrix-inputs";

type Who = "admin" | "operator" | "managerA" | "viewerA" | "managerB";
const ROLE_OF: Record<Who, Role> = {
  admin: "admin",
  operator: "operator",
  managerA: "manager",
  viewerA: "viewer",
  managerB: "manager",
};
type Outcome = "allowed" | "FORBIDDEN" | "NOT_FOUND";

/** What each caller must get: its role's scopes on its own tenant; NOT_FOUND on someone else's. */
function expected(opName: string, who: Who): Outcome {
  const op = OPERATIONS.find((o) => o.name === opName)!;
  const role = ROLE_OF[who];
  if (who === "managerB" && op.tenant.kind !== "platform") return "NOT_FOUND";
  return can(role, op.scope) ? "allowed" : "FORBIDDEN";
}

let f: Fixture;
let n = 0;

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

describe("authorization matrix", () => {
  it("covers every operation, every tRPC procedure and every REST endpoint", () => {
    const opNames = OPERATIONS.map((o) => o.name).sort();
    expect(Object.keys(MATRIX).sort()).toEqual(opNames);
    for (const op of OPERATIONS) expect(op.scope, op.name).toBe(MATRIX[op.name]!.scope);
    const procedures = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { operation?: string } } }>,
    );
    for (const [path, proc] of procedures) {
      const opName = proc._def.meta?.operation;
      expect(opName, `tRPC procedure ${path} must be built from an operation`).toBeDefined();
      expect(opName, "a procedure's path is its operation's name").toBe(path);
      expect(MATRIX[opName!], `tRPC procedure ${path}`).toBeDefined();
    }
    expect(new Set(procedures.map(([, p]) => p._def.meta?.operation)).size).toBe(opNames.length);
    for (const op of OPERATIONS) expect(op.rest, `${op.name} has a REST binding`).toBeDefined();
  });

  const whos: Who[] = ["admin", "operator", "managerA", "viewerA", "managerB"];
  for (const opName of Object.keys(MATRIX)) {
    it(`${opName}: each role gets exactly its scopes (service layer and tRPC)`, async () => {
      for (const who of whos) {
        const op = OPERATIONS.find((o) => o.name === opName)!;
        const input = await MATRIX[opName]!.input(getDb(), f, ++n);
        const outcome = await runOperation(op, getDb(), f.principals[who], input).then(
          (r) => ({ kind: "allowed" as const, result: r }),
          (e: unknown) => {
            if (AppError.is(e, "FORBIDDEN") || AppError.is(e, "NOT_FOUND"))
              return { kind: e.code as Outcome, result: null };
            if (AppError.is(e, "CONFLICT")) return { kind: "allowed" as const, result: null };
            throw e;
          },
        );
        expect(outcome.kind, `${opName} as ${who}`).toBe(expected(opName, who));
        if (who === "managerB" && outcome.kind === "allowed" && Array.isArray(outcome.result)) {
          const leaked = JSON.stringify(outcome.result);
          expect(leaked, `${opName} as managerB must not list tenant A data`).not.toContain(f.clientA.name);
          expect(leaked).not.toContain(`"clientId":${f.clientA.id},`);
        }
      }
    });
  }

  it("tRPC procedures reject anonymous callers and enforce the same check", async () => {
    const anon = createCaller(createInnerContext(getDb(), null));
    await expect(anon.points.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const b = createCaller(createInnerContext(getDb(), f.principals.managerB));
    await expect(b.points.get({ id: f.a.point.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = createCaller(createInnerContext(getDb(), f.principals.viewerA));
    await expect(viewer.points.updateConfig({ id: f.a.point.id, name: "hack" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const own = await viewer.points.get({ id: f.a.point.id });
    expect(own.clientId).toBe(f.clientA.id);
  });
});

describe("REST API with real tokens", () => {
  async function call(
    who: Who | null,
    method: string,
    path: string,
    input: Record<string, unknown>,
  ): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (who) headers.authorization = `Bearer ${(await issueRestToken(`user:${f.users[who].id}`, new Date())).token}`;
    const url = new URL(`http://localhost/api/v1${path}`);
    const hasBody = method === "POST" || method === "PUT";
    if (!hasBody) for (const [k, v] of Object.entries(input)) url.searchParams.set(k, String(v));
    return handleRest(new Request(url, { method, headers, body: hasBody ? JSON.stringify(input) : undefined }), path);
  }

  for (const opName of Object.keys(MATRIX)) {
    it(`${opName}: REST answers 2xx/403/404 by role and tenant`, async () => {
      const op = OPERATIONS.find((o) => o.name === opName)!;
      for (const who of ["admin", "operator", "managerA", "viewerA", "managerB"] as Who[]) {
        const input = await MATRIX[opName]!.input(getDb(), f, ++n);
        const pathParams = [...op.rest!.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const path = op.rest!.path.replace(/\{(\w+)\}/g, (_m, p: string) => String(input[p]));
        const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !pathParams.includes(k)));
        const res = await call(
          who,
          op.rest!.method,
          path,
          op.rest!.method === "GET" || op.rest!.method === "DELETE" ? flatten(rest) : rest,
        );
        const exp = expected(opName, who);
        const want = exp === "allowed" ? [200, 201, 409] : exp === "FORBIDDEN" ? [403] : [404];
        expect(want, `${op.rest!.method} ${path} as ${who} → ${res.status} ${await res.clone().text()}`).toContain(
          res.status,
        );
      }
    });
  }

  it("rejects missing or bad tokens with 401 and bad input with 400 and field errors", async () => {
    expect((await call(null, "GET", "/points", {})).status).toBe(401);
    const bad = await handleRest(
      new Request("http://localhost/api/v1/points", { headers: { authorization: "Bearer nope" } }),
      "/points",
    );
    expect(bad.status).toBe(401);
    const res = await call("admin", "POST", "/points", {
      clientId: f.clientA.id,
      name: "x",
      kind: "pozo",
      obraCode: "OB-12-1",
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { fieldErrors: Record<string, string[]> } } };
    expect(body.error.code).toBe("BAD_INPUT");
    expect(Object.keys(body.error.details.fieldErrors)).toEqual(expect.arrayContaining(["name", "kind", "obraCode"]));
  });

  it("accepts an API key directly and limits it to its client and scopes", async () => {
    const key = f.apiKeyA.key;
    const get = (path: string) =>
      handleRest(
        new Request(`http://localhost/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } }),
        path.split("?")[0]!,
      );
    expect((await get(`/points/${f.a.point.id}`)).status).toBe(200);
    expect((await get(`/points/${f.b.point.id}`)).status).toBe(404);
    expect((await get(`/notification-rules?clientId=${f.clientA.id}`)).status).toBe(403);
    await getDb().apiKey.update({ where: { id: f.apiKeyA.row.id }, data: { revokedAt: new Date() } });
    expect((await get(`/points/${f.a.point.id}`)).status).toBe(401);
  });
});

function flatten(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== "object" || v === null));
}
