import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RawReading } from "@/domain/measurements/types";
import { classifyHttpError, classifyThrown } from "@/domain/providers/classify";
import {
  parseTdataLogin,
  parseTdataTimeseries,
  tdataLatest,
  tdataLoginUrl,
  tdataNextPage,
  tdataTimeseriesUrl,
} from "@/domain/providers/tdata";
import { DEMO_FLEET, fleetFor } from "./fleet";
import { createTdataSimulator } from "./tdata";
import { adminFaults, clock, headersOf } from "./test-helpers";
import { wellSeries } from "./well-samples";

const clk = clock();
const [well] = fleetFor("tdata");
const { username, password } = DEMO_FLEET.accounts.tdata;
const sim = createTdataSimulator({ users: [{ username, password }], devices: fleetFor("tdata"), now: clk.now });
let root = "";
let base = "";
let token = "";
const KEYS = ["5001", "5003", "5010"];

const login = async () => {
  const res = await fetch(tdataLoginUrl(base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return parseTdataLogin(await res.json(), clk.now());
};
const get = (q: Parameters<typeof tdataTimeseriesUrl>[2], bearer = token) =>
  fetch(tdataTimeseriesUrl(base, well!.deviceId, q), { headers: { authorization: `Bearer ${bearer}` } });
const fetchRange = async (startTs: number, endTs: number, limit: number) =>
  parseTdataTimeseries(await (await get({ keys: KEYS, startTs, endTs, limit, asc: true })).json(), well!.deviceRef);
const ids = (rs: RawReading[]) => rs.map((r) => `${r.key}@${r.measuredAt.toISOString()}=${String(r.rawValue)}`);

beforeAll(async () => {
  root = (await sim.listen(0)).url;
  base = `${root}/tdata/v1`;
});
afterAll(() => sim.close());
beforeEach(async () => {
  clk.set(new Date("2025-03-10T14:00:00Z"));
  await fetch(`${root}/__admin/reset`, { method: "POST" });
  token = (await login()).token;
});

describe("T.Data simulator", () => {
  it("logs in with a JWT whose exp the parser reads", async () => {
    const s = await login();
    expect(s.expirySource).toBe("jwt");
    expect(s.expiresAt.toISOString()).toBe("2025-03-10T14:59:00.000Z");
    const bad = await fetch(tdataLoginUrl(base), {
      method: "POST",
      body: JSON.stringify({ username, password: "nope" }),
    });
    expect(bad.status).toBe(401);
  });

  it("returns the latest value per key (string values) when no startTs is given", async () => {
    const r = parseTdataTimeseries(await (await get({ keys: KEYS })).json(), well!.deviceRef);
    expect(r.rejected).toEqual([]);
    expect(
      tdataLatest(r.readings)
        .map((x) => x.key)
        .sort(),
    ).toEqual(KEYS);
    expect(typeof r.readings[0]!.rawValue).toBe("string");
    expect(clk.now().getTime() - r.readings[0]!.measuredAt.getTime()).toBeLessThan(3_600_000);
  });

  it("serves a consistent history: same window twice, overlapping windows agree", async () => {
    const t = clk.now().getTime();
    const a = await fetchRange(t - 86_400_000, t - 43_200_000, 100_000);
    const b = await fetchRange(t - 86_400_000, t - 43_200_000, 100_000);
    expect(ids(b.readings)).toEqual(ids(a.readings));
    const c = await fetchRange(t - 60_000_000, t - 20_000_000, 100_000);
    const overlap = (rs: RawReading[]) =>
      ids(rs.filter((r) => r.measuredAt.getTime() >= t - 60_000_000 && r.measuredAt.getTime() <= t - 43_200_000));
    expect(overlap(c.readings)).toEqual(overlap(a.readings));
    expect(a.readings.length).toBeGreaterThan(3 * 130);
  });

  it("pages with startTs = max ts + 1 and covers the window exactly once", async () => {
    const t = clk.now().getTime();
    const full = await fetchRange(t - 2 * 86_400_000, t, 100_000);
    const seen: RawReading[] = [];
    let startTs = t - 2 * 86_400_000;
    for (let pages = 0; pages < 100; pages++) {
      const page = await fetchRange(startTs, t, 97);
      seen.push(...page.readings);
      const next = tdataNextPage(97, page.pages["5001"]);
      if (next.done) break;
      if (!("startTs" in next)) throw new Error("expected ascending paging");
      startTs = next.startTs;
    }
    expect(new Set(ids(seen)).size).toBe(seen.length);
    expect(ids(seen).sort()).toEqual(ids(full.readings).sort());
    const truth = wellSeries(well!.well, new Date(t - 2 * 86_400_000), new Date(t)).filter(
      (s) => s.deliveredAt <= clk.now(),
    );
    expect(full.readings.length).toBe(truth.length * 3);
  });

  it("pages newest-first with endTs when asc is not honoured", async () => {
    const t = clk.now().getTime();
    const start = t - 86_400_000;
    const seen: RawReading[] = [];
    let endTs = t;
    for (let i = 0; i < 100; i++) {
      const res = await get({ keys: ["5001"], startTs: start, endTs, limit: 50 });
      const page = parseTdataTimeseries(await res.json(), well!.deviceRef);
      seen.push(...page.readings);
      const next = tdataNextPage(50, page.pages["5001"]);
      if (next.done) break;
      if (!("endTs" in next)) throw new Error("expected descending paging");
      endTs = next.endTs;
    }
    const full = (await fetchRange(start, t, 100_000)).readings.filter((r) => r.key === "5001");
    expect(ids(seen).sort()).toEqual(ids(full).sort());
  });

  it("late (satellite) data appears in an old window once delivered", async () => {
    const truth = wellSeries(well!.well, new Date("2025-03-01T00:00:00Z"), new Date("2025-03-10T00:00:00Z"));
    const late = truth.find((s) => s.deliveredAt.getTime() - s.t.getTime() > 3_600_000)!;
    const window = [late.t.getTime() - 1, late.t.getTime() + 1] as const;
    clk.set(new Date(late.deliveredAt.getTime() - 1000));
    token = (await login()).token;
    expect((await fetchRange(...window, 10)).readings).toHaveLength(0);
    clk.set(new Date(late.deliveredAt.getTime() + 1000));
    expect((await fetchRange(...window, 10)).readings).toHaveLength(3);
  });

  it("answers 401 on invalid, expired and fault-expired tokens; re-login recovers", async () => {
    expect((await get({ keys: KEYS }, "garbage")).status).toBe(401);
    clk.advance(3_601_000);
    const expired = await get({ keys: KEYS });
    expect(expired.status).toBe(401);
    expect(classifyHttpError("tdata", expired.status, expired.headers, await expired.json())).toEqual({ kind: "auth" });
    token = (await login()).token;
    expect((await get({ keys: KEYS })).status).toBe(200);
    await adminFaults(root, { mode: "expire_tokens" });
    expect((await get({ keys: KEYS })).status).toBe(401);
    token = (await login()).token;
    expect((await get({ keys: KEYS })).status).toBe(200);
  });

  it("injects rate-limit storms, outages, malformed bodies and slowness", async () => {
    await adminFaults(root, { mode: "rate_limit_storm", count: 2, retryAfterSec: 12 });
    const limited = await get({ keys: KEYS });
    expect(limited.status).toBe(429);
    expect(headersOf(limited)["retry-after"]).toBe("12");
    expect(classifyHttpError("tdata", 429, limited.headers, await limited.text())).toEqual({
      kind: "rate_limited",
      retryAfterMs: 12_000,
    });
    expect((await get({ keys: KEYS })).status).toBe(429);
    expect((await get({ keys: KEYS })).status).toBe(200);

    await adminFaults(root, { mode: "outage", until: "2025-03-10T14:05:00Z" });
    const down = await get({ keys: KEYS });
    expect(down.status).toBe(503);
    expect(classifyHttpError("tdata", 503, down.headers, await down.text())).toEqual({ kind: "transient" });
    clk.advance(5 * 60_000);
    token = (await login()).token;
    expect((await get({ keys: KEYS })).status).toBe(200);

    await adminFaults(root, { mode: "outage", connectionReset: true, count: 1 });
    const reset = await get({ keys: KEYS }).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(Error);
    expect(classifyThrown(reset)).toEqual({ kind: "transient" });

    await adminFaults(root, [{ mode: "malformed", count: 1 }]);
    const text = await (await get({ keys: KEYS })).text();
    expect(() => parseTdataTimeseries(text, "d")).toThrow(/malformed/);

    await adminFaults(root, { faults: [{ mode: "slow", delayMs: 250, count: 1 }] });
    const t0 = performance.now();
    expect((await get({ keys: KEYS })).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);

    const stats = (await (await fetch(`${root}/__admin/stats`)).json()) as {
      requests: number;
      byStatus: Record<string, number>;
      faulted: number;
    };
    expect(stats.byStatus["429"]).toBe(2);
    expect(stats.byStatus["503"]).toBe(1);
    expect(stats.faulted).toBeGreaterThanOrEqual(6);
    expect((await adminFaults(root, { mode: "nope" })).status).toBe(400);
  });
});
