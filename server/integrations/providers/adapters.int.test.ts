import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { fleetFor } from "@/simulators/providers/fleet";
import { closeAll } from "@/test/db";
import { forgetAuth } from "./auth-cache";
import { adapterFor } from "./registry";
import type { BindingCtx, Cursor, FetchedBody } from "./types";
import { accountFor, bindingFor, readingId, readingsOf, startSims, testClock, type SimKind } from "./test-sims";

const T0 = new Date("2025-03-10T14:00:00Z");
const clk = testClock(T0);
let sims: Awaited<ReturnType<typeof startSims>>;
let accountId = 7000;

beforeAll(async () => {
  sims = await startSims(clk.now);
});
afterAll(async () => {
  await sims.close();
  await closeAll();
});
beforeEach(async () => {
  clk.set(T0);
  for (const k of ["tdata", "tts", "thethingsio", "tago"] as const) await sims.reset(k);
});

const wellOf = (kind: SimKind) => fleetFor(kind)[0]!;
const bindingOf = (kind: SimKind, pageSize = 10_000) =>
  bindingFor(accountFor(kind, sims.base[kind], ++accountId, { pageSize }), wellOf(kind));

async function walk(b: BindingCtx, from: Date, to: Date) {
  const adapter = adapterFor(b.account.kind);
  const bodies: FetchedBody[] = [];
  let cursor: Cursor | null = null;
  let pages = 0;
  do {
    const page = await adapter.fetchRange(b, { from, to, cursor });
    if (page.failure) throw page.failure;
    bodies.push(...page.bodies);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 500);
  return { bodies, pages, readings: readingsOf(b.account.kind, b.deviceRef, bodies) };
}

describe("provider adapters against their simulators", () => {
  const from = new Date(T0.getTime() - 12 * 3600_000);
  const to = new Date(T0.getTime() - 60_000);

  for (const kind of ["tdata", "tts", "thethingsio", "tago"] as const) {
    it(`${kind}: range paging with a small page covers the window exactly once`, async () => {
      const full = await walk(bindingOf(kind), from, to);
      const paged = await walk(bindingOf(kind, 17), from, to);
      expect(full.readings.length).toBeGreaterThan(30);
      expect(paged.pages).toBeGreaterThan(2);
      const sorted = (xs: string[]) => [...xs].sort();
      if (kind === "thethingsio" || kind === "tts") {
        // Inclusive boundaries (thethings.iO endDate second, TTS after=) re-send the boundary item; ids dedupe it downstream.
        expect(sorted([...new Set(paged.readings.map(readingId))])).toEqual(
          sorted([...new Set(full.readings.map(readingId))]),
        );
        expect(paged.readings.length - full.readings.length).toBeLessThanOrEqual(paged.pages * 6); // ≤ one message (all its keys) per page
      } else {
        expect(sorted(paged.readings.map(readingId))).toEqual(sorted(full.readings.map(readingId)));
      }
      for (const r of paged.readings)
        expect(r.measuredAt.getTime()).toBeGreaterThanOrEqual(from.getTime() - (kind === "tts" ? 8 * 3600_000 : 1000));
    });
  }

  for (const kind of ["tdata", "thethingsio", "tago"] as const) {
    it(`${kind}: latest returns the newest value of every mapped key`, async () => {
      const b = bindingOf(kind);
      const page = await adapterFor(kind).fetchLatest(b);
      const readings = readingsOf(kind, b.deviceRef, page.bodies);
      expect(new Set(readings.map((r) => r.key))).toEqual(new Set(b.keys));
      expect(T0.getTime() - page.maxMeasuredAt!.getTime()).toBeLessThan(3 * 3600_000);
    });
  }

  it("tts: has no latest read (Storage is batched)", async () => {
    await expect(adapterFor("tts").fetchLatest(bindingOf("tts"))).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("tdata: one login per token lifetime, re-login once on 401 (tokens revoked)", async () => {
    const b = bindingOf("tdata");
    await forgetAuth(b.account.id);
    await adapterFor("tdata").fetchLatest(b);
    await adapterFor("tdata").fetchLatest(b);
    const logins = () => sims.sims.tdata.stats().byRoute["POST login"] ?? 0;
    expect(logins()).toBe(1);
    await sims.fault("tdata", { mode: "expire_tokens", count: 0 });
    const page = await adapterFor("tdata").fetchLatest(b);
    expect(page.readings).toBeGreaterThan(0);
    expect(logins()).toBe(2);
    expect(sims.sims.tdata.stats().byStatus["401"]).toBe(1);
  });

  it("tdata: refreshes a token that reached its expiry before using it", async () => {
    const clk2 = testClock(new Date());
    const own = await startSims(() => clk2.now(), { tdataTokenTtlSec: 66 });
    try {
      const b = bindingFor(accountFor("tdata", own.base.tdata, ++accountId), wellOf("tdata"));
      await adapterFor("tdata").fetchLatest(b);
      const logins = () => own.sims.tdata.stats().byRoute["POST login"] ?? 0;
      expect(logins()).toBe(1);
      // JWT exp − 60 s skew − 5 s early refresh ≈ 1 s of validity.
      await new Promise((r) => setTimeout(r, 1_300));
      clk2.set(new Date());
      await adapterFor("tdata").fetchLatest(b);
      expect(logins()).toBe(2);
      expect(own.sims.tdata.stats().byStatus["401"] ?? 0).toBe(0);
    } finally {
      await own.close();
    }
  });

  it("classifies 429 (with Retry-After), outages, auth and unknown devices", async () => {
    await sims.fault("tago", { mode: "rate_limit_storm", count: 1, retryAfterSec: 7 });
    await expect(adapterFor("tago").fetchLatest(bindingOf("tago"))).rejects.toMatchObject({
      code: "PROVIDER_RATE_LIMITED",
      retryAfterMs: 7000,
    });
    await sims.fault("tts", { mode: "rate_limit_storm", count: 1, retryAfterSec: 3 });
    await expect(adapterFor("tts").fetchRange(bindingOf("tts"), { from, to, cursor: null })).rejects.toMatchObject({
      code: "PROVIDER_RATE_LIMITED",
      retryAfterMs: 3000,
    });
    await sims.fault("thethingsio", { mode: "outage", count: 1 });
    await expect(adapterFor("thethingsio").fetchLatest(bindingOf("thethingsio"))).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
    await sims.fault("tdata", { mode: "outage", count: 1, connectionReset: true });
    await expect(adapterFor("tdata").fetchLatest(bindingOf("tdata"))).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
    const stranger = { ...bindingOf("tago"), deviceRef: "unknown-device" };
    const err = await adapterFor("tago")
      .fetchLatest(stranger)
      .catch((e: unknown) => e);
    expect(AppError.is(err, "PROVIDER_PERMANENT")).toBe(true);
    const wrongKey = bindingOf("tago");
    wrongKey.account.credentials = { [wrongKey.deviceRef]: "not-a-token" };
    await expect(adapterFor("tago").fetchLatest(wrongKey)).rejects.toMatchObject({ code: "PROVIDER_AUTH" });
  });

  it("returns unreadable bodies and broken streams as a failure to store, not a crash", async () => {
    await sims.fault("tago", { mode: "malformed", count: 1 });
    const page = await adapterFor("tago").fetchRange(bindingOf("tago"), { from, to, cursor: null });
    expect(page.bodies[0]!.error).toMatch(/malformed/);
    expect(page.failure?.code).toBe("PROVIDER_UNAVAILABLE");
    await sims.fault("tts", { mode: "outage", midStream: true, count: 1 });
    const tts = await adapterFor("tts").fetchRange(bindingOf("tts", 50), { from, to, cursor: null });
    expect(tts.readings).toBeGreaterThan(0);
    expect(tts.failure?.message).toMatch(/broke off/);
    expect(tts.nextCursor).toBeNull();
  });
});
