import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeQueues } from "@/server/queues/connection";
import { env } from "@/server/env";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { FIXTURE_PASSWORD, createFixture, type Fixture } from "@/test/fixture";
import { createApiServer } from "./api-server";

/** The REST API process (ADR 0014) over real HTTP, PostgreSQL and Redis: the same answers as the Next routes. */
let server: Server;
let base = "";
let f: Fixture;

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  server = createApiServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await closeQueues();
  await closeAll();
});

const token = async (email: string) => {
  const r = await fetch(`${base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "password", email, password: FIXTURE_PASSWORD }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
};

describe("REST API process", () => {
  it("issues a token, then serves a history read and keeps tenants apart", async () => {
    const t = await token("viewer.a@test.cl");
    const auth = { authorization: `Bearer ${t}` };
    const own = await fetch(`${base}/api/v1/analytics/points/${f.a.point.id}/history?bucket=hour`, { headers: auth });
    expect(own.status).toBe(200);
    expect(own.headers.get("x-content-type-options")).toBe("nosniff");
    const body = (await own.json()) as { pointId: number; bucket: string; series: unknown[] };
    expect(body).toMatchObject({ pointId: f.a.point.id, bucket: "hour" });
    expect(body.series).toHaveLength(4);
    const other = await fetch(`${base}/api/v1/analytics/points/${f.b.point.id}/history`, { headers: auth });
    expect(other.status).toBe(404);
    const list = await fetch(`${base}/api/v1/points?clientId=${f.clientA.id}`, { headers: auth });
    expect(list.status).toBe(200);
  });

  it("refuses what the Next routes refuse: no token 401, bad JSON 400, declared oversize 413, unknown 404", async () => {
    const noAuth = await fetch(`${base}/api/v1/analytics/points/${f.a.point.id}/history`);
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    const bad = await fetch(`${base}/api/v1/auth/token`, { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
    const big = await fetch(`${base}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(env().REQUEST_MAX_BYTES + 10),
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${base}/portal`)).status).toBe(404);
    const t = await token("admin@test.cl");
    const missing = await fetch(`${base}/api/v1/nothing/here`, { headers: { authorization: `Bearer ${t}` } });
    expect(missing.status).toBe(404);
  });

  it("serves the OpenAPI document, health probes and metrics with the REST route templates", async () => {
    const doc = await fetch(`${base}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty(
      "/api/v1/analytics/points/{id}/history",
    );
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const auth = env().METRICS_TOKEN ? { authorization: `Bearer ${env().METRICS_TOKEN}` } : undefined;
    const text = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{route="\/api\/v1\/analytics\/points\/\{id\}\/history",method="GET",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/smarthydro_api_process_cpu_user_seconds_total/);
  });
});
