import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeQueues } from "@/server/queues/connection";
import { env } from "@/server/env";
import { seedAccount, seedClient } from "@/server/integrations/providers/test-db-seed";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createIngestGateway } from "./gateway";

/** The ingest gateway (ADR 0011) over real HTTP, PostgreSQL and Redis: the same answers as the Next routes. */
const SECRET = "gateway-test-secret-0123456789";
let server: Server;
let base = "";
let tago = 0;

beforeAll(async () => {
  await truncateAll();
  const c = await seedClient(getDb(), "gateway");
  tago = (await seedAccount(getDb(), c.id, "tago", "http://127.0.0.1:1", { pushSecret: SECRET })).id;
  server = createIngestGateway();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await closeQueues();
  await closeAll();
});

const tagoBody = (id: string) =>
  JSON.stringify([{ id, device: "dev-x", variable: "caudal", value: 12.5, unit: "L/s", time: "2026-03-01T10:00:00Z" }]);
const push = (
  body: string,
  headers: Record<string, string> = { "x-webhook-secret": SECRET },
  path = `/api/v1/ingest/tago/${tago}`,
) => fetch(base + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("ingest gateway", () => {
  it("accepts a Tago push (202), stores it raw and answers a retry as a duplicate", async () => {
    const body = tagoBody("g-1");
    const r = await push(body);
    expect(r.status).toBe(202);
    const j = (await r.json()) as { status: string; rawId: string };
    expect(j.status).toBe("accepted");
    const raw = await getPgPool().query<{ body: string; account_id: number }>(
      "SELECT body, account_id FROM raw_payload WHERE id = $1",
      [j.rawId],
    );
    expect(raw.rows[0]).toEqual({ body, account_id: tago });
    const again = await push(body);
    expect(((await again.json()) as { status: string }).status).toBe("duplicate");
  });

  it("refuses a wrong secret (401), a wrong kind (401), a declared oversize body (413) and other methods (405)", async () => {
    expect((await push(tagoBody("g-2"), { "x-webhook-secret": "nope" })).status).toBe(401);
    expect((await push(tagoBody("g-3"), { "x-webhook-secret": SECRET }, `/api/v1/ingest/tts/${tago}`)).status).toBe(
      401,
    );
    const big = "x".repeat(Math.max(env().INGEST_MAX_BYTES, env().REQUEST_MAX_BYTES) + 10);
    const tooLarge = await push(big);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect((await fetch(`${base}/api/v1/ingest/tago/${tago}`)).status).toBe(405);
    expect((await fetch(`${base}/api/v1/other`)).status).toBe(404);
  });

  it("serves health probes and Prometheus metrics with the ingest route template", async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe("ok");
    const auth = env().METRICS_TOKEN ? { authorization: `Bearer ${env().METRICS_TOKEN}` } : undefined;
    const m = await fetch(`${base}/metrics`, { headers: auth });
    expect(m.status).toBe(200);
    const text = await m.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{route="\/api\/v1\/ingest\/\{provider\}\/\{accountId\}",method="POST",status="202"\} [1-9]/,
    );
    expect(text).toMatch(
      /smarthydro_ingest_payloads_total\{provider="tago",transport="push",status="accepted"\} [1-9]/,
    );
  });
});
