import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RawReading } from "@/domain/measurements/types";
import { classifyHttpError } from "@/domain/providers/classify";
import {
  parseTagoActionBody,
  parseTagoDataResponse,
  tagoDataUrl,
  tagoNextPage,
  type TagoDataQuery,
} from "@/domain/providers/tago";
import { fleetFor } from "./fleet";
import { createTagoSimulator, sendAction, tagoActionBatches } from "./tago";
import { adminFaults, clock, receiver } from "./test-helpers";

const clk = clock();
const devices = fleetFor("tago");
const dev = devices.find((d) => d.stringVariables?.length)!;
const sim = createTagoSimulator({ devices, now: clk.now });
let root = "";

const get = (q: TagoDataQuery, headers: Record<string, string> = { "Device-Token": dev.deviceToken }) =>
  fetch(tagoDataUrl(root, q), { headers });
const read = async (q: TagoDataQuery) => parseTagoDataResponse(await (await get(q)).json(), dev.deviceRef);
const ids = (rs: RawReading[]) =>
  rs.map((r) => `${r.sourceId}:${r.key}@${r.measuredAt.toISOString()}=${String(r.rawValue)}`);
const window = { startDate: new Date("2025-03-08T00:00:00Z"), endDate: new Date("2025-03-10T00:00:00Z") };

beforeAll(async () => {
  root = (await sim.listen(0)).url;
});
afterAll(() => sim.close());
beforeEach(async () => {
  clk.set(new Date("2025-03-10T14:00:00Z"));
  await fetch(`${root}/__admin/reset`, { method: "POST" });
});

describe("TagoIO simulator", () => {
  it("authenticates with Device-Token or a raw Authorization token, never Bearer", async () => {
    const q = { variables: ["caudal"], query: "last_item" as const };
    const a = await (await get(q)).json();
    expect(await (await get(q, { authorization: dev.deviceToken })).json()).toEqual(a);
    const bearer = await get(q, { authorization: `Bearer ${dev.deviceToken}` });
    expect(bearer.status).toBe(401);
    expect(classifyHttpError("tago", bearer.status, bearer.headers, await bearer.json())).toEqual({ kind: "auth" });
    const info = (await (await fetch(`${root}/info`, { headers: { "Device-Token": dev.deviceToken } })).json()) as {
      result: { id: string };
    };
    expect(info.result.id).toBe(dev.deviceId);
  });

  it("returns last_item and the default qty of 15, newest first, with string values for some variables", async () => {
    const last = await read({ variables: ["nivel"], query: "last_item" });
    expect(last.count).toBe(1);
    expect(typeof last.readings[0]!.rawValue).toBe("string");
    expect(last.readings[0]).toMatchObject({
      deviceRef: dev.deviceId,
      key: "nivel",
      rawUnit: dev.variables.find((v) => v.key === "nivel")!.unit,
    });
    const page = await read({ variables: ["caudal", "nivel"] });
    expect(page.count).toBe(15);
    const times = page.readings.map((r) => r.measuredAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(page.readings.every((r) => r.receivedAt! >= r.measuredAt)).toBe(true);
  });

  it("pages with qty/skip ascending over a fixed window: exactly once, consistent across calls", async () => {
    const all = { variables: ["caudal", "totalizador", "nivel"], ordination: "ascending" as const, ...window };
    const full = await read({ ...all, qty: 10_000 });
    expect(ids((await read({ ...all, qty: 10_000 })).readings)).toEqual(ids(full.readings));
    const seen: RawReading[] = [];
    let skip = 0;
    for (let i = 0; i < 500; i++) {
      const page = await read({ ...all, qty: 250, skip });
      seen.push(...page.readings);
      const next = tagoNextPage(250, skip, page);
      if (next.done) break;
      skip = next.skip;
    }
    expect(ids(seen)).toEqual(ids(full.readings));
    expect(new Set(full.readings.map((r) => r.sourceId)).size).toBe(full.readings.length);
    const byKeyTime = new Set(full.readings.map((r) => `${r.key}@${r.measuredAt.toISOString()}`));
    expect(byKeyTime.size).toBeLessThan(full.readings.length);
    expect(full.rejected.length).toBe(0);
  });

  it("late backlog appears in an old window only after it was created", async () => {
    const all = { variables: ["caudal"], qty: 10_000, ...window };
    const now = await read(all);
    clk.set(new Date("2025-03-10T00:00:00Z"));
    const earlier = await read(all);
    expect(earlier.count).toBeLessThan(now.count);
    const earlierIds = new Set(ids(earlier.readings));
    expect(ids(now.readings).filter((x) => earlierIds.has(x))).toHaveLength(earlier.count);
  });

  it("answers storms with the Retry-After message and honours a per-minute rate limit", async () => {
    await adminFaults(root, { mode: "rate_limit_storm", count: 1, retryAfterSec: 41 });
    const storm = await get({ variables: ["caudal"] });
    expect(storm.status).toBe(429);
    expect(storm.headers.get("retry-after")).toBeNull();
    expect(classifyHttpError("tago", 429, storm.headers, await storm.text())).toEqual({
      kind: "rate_limited",
      retryAfterMs: 41_000,
    });
    await adminFaults(root, { mode: "outage", count: 1 });
    expect((await get({ variables: ["caudal"] })).status).toBe(503);

    const limited = createTagoSimulator({ devices, now: clk.now, rateLimitPerMinute: 2 });
    const { url } = await limited.listen(0);
    try {
      const call = () =>
        fetch(tagoDataUrl(url, { variables: ["caudal"] }), { headers: { "Device-Token": dev.deviceToken } });
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      const third = await call();
      expect(third.status).toBe(429);
      expect(classifyHttpError("tago", 429, third.headers, await third.json())).toEqual({
        kind: "rate_limited",
        retryAfterMs: 60_000,
      });
      clk.advance(60_000);
      expect((await call()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("sends HTTP-POST actions that parse into the same readings the API serves", async () => {
    const target = await receiver();
    try {
      const from = new Date("2025-03-09T10:00:00Z");
      const to = new Date("2025-03-09T11:00:00Z");
      const batches = tagoActionBatches([dev], from, to);
      for (const b of batches)
        expect((await sendAction(`${target.url}/api/ingest/tago`, { "x-tago-secret": "s" }, b)).status).toBe(200);
      expect(target.received[0]!.headers["tagoio-retries"]).toBe("1");
      const pushed = target.received.flatMap((r) => parseTagoActionBody(r.body).readings);
      expect(target.received.flatMap((r) => parseTagoActionBody(r.body).rejected)).toEqual([]);
      const served = await read({
        variables: dev.variables.map((v) => v.key),
        qty: 10_000,
        ordination: "ascending",
        startDate: new Date(from.getTime() - 86_400_000),
        endDate: to,
      });
      const servedIds = new Set(served.readings.map((r) => r.sourceId));
      expect(pushed.length).toBeGreaterThan(0);
      expect(pushed.every((r) => servedIds.has(r.sourceId!))).toBe(true);
    } finally {
      await target.close();
    }
  });
});
