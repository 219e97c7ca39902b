import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { AppError } from "@/domain/errors";
import { defineOperation, nameOperations } from "@/server/api/operation";
import { handleRest } from "@/server/api/rest";
import { issueRestToken } from "@/server/auth/rest-token";
import { createInnerContext, featureRouter } from "@/server/trpc/init";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";

let f: Fixture;
let bearer: string;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  bearer = `Bearer ${(await issueRestToken(`user:${f.users.admin.id}`, new Date())).token}`;
});
afterAll(closeAll);

const trpc = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
  const req = new Request(`http://localhost:3000/api/trpc/${path}`, {
    ...init,
    headers: { authorization: bearer, host: "localhost:3000", ...init.headers },
  });
  return (init.method === "POST" ? trpcPost : trpcGet)(req);
};
const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const superjsonInput = (v: unknown) => ({ json: v });

/** Finding 2: database and runtime error text never reaches the caller; the request id does. */
describe("tRPC error text", () => {
  const { test: testOps } = nameOperations({
    test: {
      boom: defineOperation({
        summary: "",
        kind: "query",
        scope: "clients:read",
        tenant: { kind: "platform" },
        input: z.object({}).default({}),
        handler: async () => {
          throw new Error('relation "app_user" violates constraint "secret_internal_name"');
        },
      }),
      app500: defineOperation({
        summary: "",
        kind: "mutation",
        scope: "clients:read",
        tenant: { kind: "platform" },
        input: z.object({}).default({}),
        handler: async () => {
          throw new AppError("PROVIDER_UNAVAILABLE", "upstream 10.0.0.5:8443 refused");
        },
      }),
    },
  });
  const testRouter = featureRouter(testOps);
  const call = (path: string, method: "GET" | "POST") =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/${path}`, method === "POST" ? json({}) : {}),
      router: testRouter,
      createContext: () => createInnerContext(getDb(), f.principals.admin, "req-123"),
    });

  it("answers 'Error interno' with the request id for a non-AppError and for a 5xx AppError", async () => {
    for (const [path, method] of [
      ["boom", "GET"],
      ["app500", "POST"],
    ] as const) {
      const res = await call(path, method);
      const text = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(text).not.toMatch(/secret_internal_name|app_user|10\.0\.0\.5/);
      const body = JSON.parse(text) as { error: { json: { message: string; data: { requestId: string } } } };
      expect(body.error.json.message).toBe("Error interno");
      expect(body.error.json.data.requestId).toBe("req-123");
    }
  });

  it("keeps an AppError's 4xx message and turns zod input errors into field errors", async () => {
    const res = await trpc("points.create", json(superjsonInput({ clientId: f.clientA.id })));
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { json: { message: string; data: { details: unknown; requestId: string } } };
    };
    expect(body.error.json.message).toBe("Datos inválidos");
    expect(body.error.json.data.details).toBeTruthy();
    expect(body.error.json.data.requestId).toBeTruthy();
  });
});

/** Finding 5: a foreign page cannot run a mutation with the operator's cookie. */
describe("tRPC CSRF", () => {
  it("refuses form posts, foreign Origin and cross-site fetches; accepts same-origin JSON", async () => {
    const before = await getDb().auditLog.count({ where: { action: "compliance.runCycle" } });
    const form = new FormData();
    form.set("json", "{}");
    expect((await trpc("compliance.runCycle", { method: "POST", body: form })).status).toBe(400);
    expect(
      (await trpc("compliance.runCycle", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }))
        .status,
    ).toBe(400);
    const foreign = await trpc("clients.create", {
      ...json(superjsonInput({ name: "Evil", rut: "76455593-7" })),
      headers: { "content-type": "application/json", origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    const crossSite = await trpc("clients.create", {
      ...json(superjsonInput({ name: "Evil", rut: "76455593-7" })),
      headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(await getDb().auditLog.count({ where: { action: "compliance.runCycle" } })).toBe(before);
    const ok = await trpc("notifications.create", {
      ...json(superjsonInput({ clientId: f.clientA.id, title: "Hola" })),
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" },
    });
    expect(ok.status).toBe(200);
  });
});

/** Finding 6: one body limit everywhere, and bounded batches. */
describe("body and batch limits", () => {
  const big = JSON.stringify({ email: "a@b.cl", password: "x".repeat(2_000_000) });
  const chunked = () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });

  it("the token endpoint, REST and tRPC refuse an oversize body with 413, declared or not", async () => {
    const token = await tokenRoute(
      new Request("http://localhost/api/v1/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: chunked(),
        duplex: "half",
      } as RequestInit),
    );
    expect(token.status).toBe(413);
    const rest = await handleRest(
      new Request("http://localhost/api/v1/clients", {
        method: "POST",
        headers: { authorization: bearer, "content-type": "application/json" },
        body: chunked(),
        duplex: "half",
      } as RequestInit),
      "/clients",
    );
    expect(rest.status).toBe(413);
    const t = await trpc("clients.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunked(),
      duplex: "half",
    } as RequestInit & { headers: Record<string, string> });
    expect(t.status).toBe(413);
  });

  it("refuses a tRPC batch larger than the limit", async () => {
    const n = 11;
    const paths = Array(n).fill("notifications.create").join(",");
    const input = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [i, superjsonInput({ clientId: f.clientA.id, title: `Batch ${i}` })]),
    );
    const before = await getDb().notification.count();
    const res = await trpc(`${paths}?batch=1`, json(input));
    expect(res.status).toBe(400);
    expect(await getDb().notification.count()).toBe(before);
  });
});

/** Finding 7: a NUL byte or a bare % is bad input (400), never a 500. */
describe("malformed text", () => {
  it("NUL in a text field: 400 with a clear message on REST, tRPC and the token endpoint", async () => {
    const rest = await handleRest(
      new Request("http://localhost/api/v1/notifications", {
        method: "POST",
        headers: { authorization: bearer, "content-type": "application/json" },
        body: JSON.stringify({ clientId: f.clientA.id, title: "a\u0000b" }),
      }),
      "/notifications",
    );
    expect(rest.status).toBe(400);
    expect(((await rest.json()) as { error: { message: string } }).error.message).toMatch(/nulo/);
    const t = await trpc("notifications.create", json(superjsonInput({ clientId: f.clientA.id, title: "a\u0000b" })));
    expect(t.status).toBe(400);
    expect(JSON.stringify(await t.json())).toMatch(/nulo/);
    const tok = await tokenRoute(
      new Request("http://localhost/api/v1/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "a\u0000@b.cl", password: "x" }),
      }),
    );
    expect(tok.status).toBe(400);
  });

  it("a literal % in a REST path id: 400", async () => {
    for (const raw of ["%", "1%", "%zz", "%E0%A4%A"]) {
      const res = await handleRest(
        new Request(`http://localhost/api/v1/points/${raw}`, { headers: { authorization: bearer } }),
        `/points/${raw}`,
      );
      expect(res.status, raw).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/mal codificado/);
    }
  });
});

describe("body limit on the portal sign-in route", () => {
  it("refuses an oversize undeclared body with 413 before next-auth parses it", async () => {
    const { POST } = await import("@/app/api/auth/[...nextauth]/route");
    const { NextRequest } = await import("next/server");
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(`email=a%40b.cl&password=${"x".repeat(2_000_000)}`));
        c.close();
      },
    });
    const res = await POST(
      new NextRequest("http://localhost/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        duplex: "half",
      } as never),
    );
    expect(res.status).toBe(413);
  });
});
