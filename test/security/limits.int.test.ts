import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { handleRest } from "@/server/api/rest";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { realtimeStreamResponse } from "@/server/realtime/stream-request";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";

// Small limits for this file; read when env() is first parsed (in beforeAll).
Object.assign(process.env, { API_RATE_PER_MIN: "5", REPORTS_PER_HOUR: "2", SSE_MAX_STREAMS: "2" });

let f: Fixture;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

/** Finding 4: per-API-key and per-user limits on REST, report creation and realtime streams. */
describe("per-caller limits", () => {
  it("REST: an API key past its per-minute budget gets 429 with Retry-After; other callers are unaffected", async () => {
    const get = (auth: string) =>
      handleRest(
        new Request(`http://localhost/api/v1/points/${f.a.point.id}`, { headers: { authorization: `Bearer ${auth}` } }),
        `/points/${f.a.point.id}`,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(f.apiKeyA.key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const last = await get(f.apiKeyA.key);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("report creation: past the hourly budget per user → RATE_LIMITED", async () => {
    const make = () =>
      runOperation(operations.reports.create, getDb(), f.principals.managerA, {
        clientId: f.clientA.id,
        month: "2026-10",
        format: "csv",
      });
    await make();
    await make();
    const err = await make().catch((e: unknown) => e);
    expect(AppError.is(err, "RATE_LIMITED")).toBe(true);
    // Another user still can.
    await expect(
      runOperation(operations.reports.create, getDb(), f.principals.operator, {
        clientId: f.clientA.id,
        month: "2026-10",
        format: "csv",
      }),
    ).resolves.toBeTruthy();
  });

  it("SSE: at most SSE_MAX_STREAMS open streams per caller; closing one frees its slot", async () => {
    const open = () => {
      const ctrl = new AbortController();
      return realtimeStreamResponse(
        getDb(),
        f.principals.viewerA,
        new Request("http://x/api/v1/realtime/stream", { signal: ctrl.signal }),
      ).then((res) => ({ res, ctrl }));
    };
    const a = await open();
    const b = await open();
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const c = await open();
    expect(c.res.status).toBe(429);
    a.ctrl.abort();
    await a.res.body?.cancel().catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    const d = await open();
    expect(d.res.status).toBe(200);
    for (const s of [b, d]) {
      s.ctrl.abort();
      await s.res.body?.cancel().catch(() => {});
    }
  });
});
