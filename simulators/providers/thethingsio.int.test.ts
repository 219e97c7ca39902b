import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RawReading } from "@/domain/measurements/types";
import { classifyHttpError } from "@/domain/providers/classify";
import {
  parseThethingsioResources,
  thethingsioNextPage,
  thethingsioResourceUrl,
  type ThethingsioQuery,
} from "@/domain/providers/thethingsio";
import { fleetFor } from "./fleet";
import { adminFaults, clock } from "./test-helpers";
import { createThethingsioSimulator } from "./thethingsio";
import { wellSeries } from "./well-samples";

const clk = clock();
const things = fleetFor("thethingsio");
const thing = things[1]!;
const sim = createThethingsioSimulator({ devices: things, now: clk.now });
let api = "";
let root = "";

const pulses = thing.variables.find((v) => v.variable === "totalizer")!.key;
const get = (q: ThethingsioQuery, key = pulses, token = thing.thingToken) =>
  fetch(thethingsioResourceUrl(api, token, key, q));
const read = async (q: ThethingsioQuery, key = pulses) =>
  parseThethingsioResources(await (await get(q, key)).json(), thing.deviceRef, key);
const ids = (rs: RawReading[]) => rs.map((r) => `${r.sourceId}=${String(r.rawValue)}`);

beforeAll(async () => {
  root = (await sim.listen(0)).url;
  api = `${root}/v2`;
});
afterAll(() => sim.close());
beforeEach(async () => {
  clk.set(new Date("2025-03-10T14:00:00Z"));
  await fetch(`${root}/__admin/reset`, { method: "POST" });
});

describe("thethings.iO simulator", () => {
  it("returns the newest value first (limit=1 is the legacy 'latest')", async () => {
    const r = await read({ limit: 1 });
    expect(r.count).toBe(1);
    expect(clk.now().getTime() - r.readings[0]!.measuredAt.getTime()).toBeLessThan(3_600_000);
    const five = await read({ limit: 5 });
    const times = five.readings.map((x) => x.measuredAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(five.readings[0]).toEqual(r.readings[0]);
  });

  it("is consistent for repeated and overlapping windows", async () => {
    const q = { limit: 10_000, startDate: new Date("2025-03-09T00:00:00Z"), endDate: new Date("2025-03-09T12:00:00Z") };
    expect(ids((await read(q)).readings)).toEqual(ids((await read(q)).readings));
    const wider = await read({
      limit: 10_000,
      startDate: new Date("2025-03-09T06:00:00Z"),
      endDate: new Date("2025-03-10T00:00:00Z"),
    });
    const inBoth = (rs: RawReading[]) =>
      ids(
        rs.filter(
          (r) => r.measuredAt >= new Date("2025-03-09T06:00:00Z") && r.measuredAt <= new Date("2025-03-09T12:00:00Z"),
        ),
      );
    expect(inBoth(wider.readings)).toEqual(inBoth((await read(q)).readings));
  });

  it("pages by moving endDate to the oldest datetime and covers the window once after dedupe", async () => {
    const startDate = new Date("2025-03-08T00:00:00Z");
    const endDate = new Date("2025-03-10T00:00:00Z");
    const full = await read({ limit: 100_000, startDate, endDate });
    const seen = new Map<string, RawReading>();
    let end: Date = endDate;
    let pages = 0;
    for (; pages < 200; pages++) {
      const page = await read({ limit: 40, startDate, endDate: end });
      for (const r of page.readings) seen.set(r.sourceId!, r);
      const next = thethingsioNextPage(40, page, end);
      if (next.done) {
        expect(next.stalled).toBeUndefined();
        break;
      }
      end = next.endDate;
    }
    expect(pages).toBeGreaterThan(5);
    const unique = new Set(ids(full.readings));
    expect(new Set(ids([...seen.values()]))).toEqual(unique);
    const truth = wellSeries(thing.well, startDate, endDate).filter((s) => s.deliveredAt <= clk.now());
    expect(unique.size).toBe(truth.length);
    expect(full.count).toBeGreaterThan(truth.length - 1);
  });

  it("rejects unknown thing tokens and injects faults", async () => {
    const bad = await get({ limit: 1 }, pulses, "not-a-token");
    expect(classifyHttpError("thethingsio", bad.status, bad.headers, await bad.json())).toEqual({ kind: "auth" });
    expect(await (await get({ limit: 1 }, "unknown_key")).json()).toEqual([]);
    await adminFaults(root, { mode: "rate_limit_storm", count: 1, retryAfterSec: 3 });
    const limited = await get({ limit: 1 });
    expect(classifyHttpError("thethingsio", limited.status, limited.headers, await limited.json())).toEqual({
      kind: "rate_limited",
      retryAfterMs: 3_000,
    });
    await adminFaults(root, { mode: "outage", count: 1 });
    expect((await get({ limit: 1 })).status).toBe(503);
    expect((await get({ limit: 1 })).status).toBe(200);
    const stats = (await (await fetch(`${root}/__admin/stats`)).json()) as { requests: number };
    expect(stats.requests).toBe(5);
  });
});
