import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { classifyHttpError } from "@/domain/providers/classify";
import {
  parseTtsStorageStream,
  parseTtsUplink,
  ttsNextPage,
  ttsStorageUrl,
  ttsUplinkId,
  type TtsApplicationUp,
  type TtsStorageQuery,
} from "@/domain/providers/tts";
import { DEMO_FLEET, fleetFor } from "./fleet";
import { adminFaults, clock, headersOf, receiver } from "./test-helpers";
import { createTtsSimulator, sendUplinks } from "./tts";

const clk = clock();
const devices = fleetFor("tts");
const { apiKey, applicationId } = DEMO_FLEET.accounts.tts;
const timed = devices.find((d) => d.deviceTimeKey)!;
const untimed = devices.find((d) => !d.deviceTimeKey)!;
const sim = createTtsSimulator({ apiKeys: [{ key: apiKey, applicationIds: [applicationId] }], devices, now: clk.now });
let root = "";
let api = "";

const get = (deviceId: string | null, q: TtsStorageQuery, headers: Record<string, string> = {}) =>
  fetch(ttsStorageUrl(api, applicationId, deviceId, q), { headers: { authorization: `Bearer ${apiKey}`, ...headers } });
const uplinkIds = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => ttsUplinkId((JSON.parse(l) as { result: TtsApplicationUp }).result));

beforeAll(async () => {
  root = (await sim.listen(0)).url;
  api = `${root}/api/v3`;
});
afterAll(() => sim.close());
beforeEach(async () => {
  clk.set(new Date("2025-03-10T14:00:00Z"));
  await fetch(`${root}/__admin/reset`, { method: "POST" });
});

describe("TTS Storage Integration simulator", () => {
  const after = "2025-03-09T00:00:00Z";
  const before = "2025-03-10T00:00:00Z";

  it("streams NDJSON by default and blank-line separated events for text/event-stream", async () => {
    const nd = await get(timed.deviceId, { limit: 20, after, before });
    expect(nd.headers.get("content-type")).toBe("application/json");
    const ndText = await nd.text();
    const ev = await get(timed.deviceId, { limit: 20, after, before }, { accept: "text/event-stream" });
    expect(ev.headers.get("content-type")).toBe("text/event-stream");
    const evText = await ev.text();
    expect(evText).toContain("}\n\n{");
    expect(parseTtsStorageStream(evText)).toEqual(parseTtsStorageStream(ndText));
    const parsed = parseTtsStorageStream(ndText, { deviceTimeKey: timed.deviceTimeKey! });
    expect(parsed.messages).toBe(20);
    expect(parsed.rejected).toEqual([]);
    const keys = new Set(parsed.readings.map((r) => r.key));
    for (const v of timed.variables) expect(keys).toContain(v.key);
    expect(parsed.readings[0]!.deviceRef).toBe(timed.deviceRef);
  });

  it("returns the same window identically and overlapping windows agree", async () => {
    const a = await (await get(null, { limit: 10_000, after, before })).text();
    const b = await (await get(null, { limit: 10_000, after, before })).text();
    expect(b).toBe(a);
    const c = await (
      await get(null, { limit: 10_000, after: "2025-03-09T12:00:00Z", before: "2025-03-10T06:00:00Z" })
    ).text();
    const idsA = uplinkIds(a);
    const idsC = new Set(uplinkIds(c));
    const aInC = idsA.filter((id) => idsC.has(id));
    expect(aInC.length).toBeGreaterThan(100);
    const tail = a
      .split("\n")
      .filter(
        (l) =>
          (JSON.parse(l || "{}") as { result?: { received_at: string } }).result?.received_at.localeCompare(
            "2025-03-09T12:00:00Z",
          ) === 1,
      );
    expect(aInC.length).toBe(tail.length);
  });

  it("pages by received_at with an inclusive after, dedupes the boundary, covers everything exactly once", async () => {
    const full = await (await get(null, { limit: 100_000, after, before })).text();
    const want = uplinkIds(full);
    const seen: string[] = [];
    let cursor: string = after;
    let exclude: string[] = [];
    for (let i = 0; i < 200; i++) {
      const text = await (await get(null, { limit: 37, after: cursor, before })).text();
      const page = parseTtsStorageStream(text, { excludeIds: exclude });
      seen.push(...uplinkIds(text).filter((id) => !exclude.includes(id)));
      const next = ttsNextPage(37, page, cursor);
      if (next.done) break;
      cursor = next.after;
      exclude = next.excludeIds;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(want);
    expect(want.length).toBeGreaterThan(devices.length * 80);
  });

  it("dates readings by device time when configured, else by received_at; late uplinks keep their device time", async () => {
    const text = await (await get(timed.deviceId, { limit: 10_000, after: "2025-03-03T00:00:00Z", before })).text();
    const r = parseTtsStorageStream(text, { deviceTimeKey: "ts" });
    const lags = r.readings.map((x) => x.receivedAt!.getTime() - x.measuredAt.getTime());
    expect(Math.min(...lags)).toBeGreaterThan(0);
    expect(Math.max(...lags)).toBeGreaterThan(3_600_000);
    expect(r.readings.every((x) => x.measuredAt.getTime() % (timed.well.stepSec * 1000) === 0)).toBe(true);
    const u = parseTtsStorageStream(await (await get(untimed.deviceId, { limit: 5, after, before })).text(), {
      deviceTimeKey: "ts",
    });
    expect(u.readings.every((x) => x.measuredAt.getTime() === x.receivedAt!.getTime())).toBe(true);
  });

  it("hides uplinks not yet written to storage and expired by retention", async () => {
    const recent = parseTtsStorageStream(await (await get(null, { limit: 10_000, order: "-received_at" })).text());
    expect(recent.readings[0]!.receivedAt!.getTime()).toBeLessThanOrEqual(clk.now().getTime() - 30_000);
    const old = await (
      await get(null, { limit: 10, after: "2025-01-01T00:00:00Z", before: "2025-02-01T00:00:00Z" })
    ).text();
    expect(old.trim()).toBe("");
  });

  it("rejects bad keys and foreign applications with gRPC-style bodies", async () => {
    const r401 = await fetch(ttsStorageUrl(api, applicationId, null, { limit: 1 }), {
      headers: { authorization: "Bearer NNSXS.WRONG" },
    });
    expect(r401.status).toBe(401);
    expect(classifyHttpError("tts", 401, r401.headers, await r401.json())).toEqual({ kind: "auth" });
    const r403 = await get(null, { limit: 1 }).then(() =>
      fetch(ttsStorageUrl(api, "other-app", null, { limit: 1 }), { headers: { authorization: `Bearer ${apiKey}` } }),
    );
    expect(r403.status).toBe(403);
    const r404 = await get("no-such-device", { limit: 1 });
    expect(classifyHttpError("tts", r404.status, r404.headers, await r404.json())).toMatchObject({ kind: "permanent" });
    const probe = await fetch(`${api}/applications/${applicationId}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(probe.status).toBe(200);
  });

  it("rate-limit storms carry X-Rate-Limit-Retry; outages give 503 or a mid-stream error", async () => {
    await adminFaults(root, { mode: "rate_limit_storm", count: 1, retryAfterSec: 9 });
    const limited = await get(null, { limit: 5, after, before });
    expect(limited.status).toBe(429);
    expect(headersOf(limited)["x-rate-limit-retry"]).toBe("9");
    expect(classifyHttpError("tts", 429, limited.headers, await limited.json())).toEqual({
      kind: "rate_limited",
      retryAfterMs: 9_000,
    });

    await adminFaults(root, { mode: "outage", count: 1 });
    const down = await get(null, { limit: 5, after, before });
    expect(down.status).toBe(503);
    expect(classifyHttpError("tts", 503, down.headers, await down.json())).toEqual({ kind: "transient" });

    await adminFaults(root, { mode: "outage", midStream: true, count: 1 });
    const partial = parseTtsStorageStream(await (await get(null, { limit: 10, after, before })).text());
    expect(partial.messages).toBe(5);
    expect(partial.streamError).toMatchObject({ code: 14 });
    expect((await get(null, { limit: 10, after, before })).status).toBe(200);
  });

  it("sends webhook uplinks that parse cleanly and match the storage content", async () => {
    const target = await receiver();
    try {
      const from = new Date("2025-03-09T06:00:00Z");
      const to = new Date("2025-03-09T12:00:00Z");
      const report = await sendUplinks(
        `${target.url}/api/ingest/tts/{appID}/{devID}`,
        { authorization: "Bearer hook-secret" },
        devices,
        from,
        to,
      );
      expect(report.failed).toBe(0);
      expect(target.received).toHaveLength(report.sent);
      expect(target.received[0]!.headers.authorization).toBe("Bearer hook-secret");
      expect(target.received[0]!.url).toMatch(/^\/api\/ingest\/tts\/smarthydro-nettra\/nettra-rtu-/);
      const parsed = target.received.map((r) => parseTtsUplink(r.body));
      expect(parsed.flatMap((p) => p.rejected)).toEqual([]);
      const stored = uplinkIds(
        await (
          await get(null, {
            limit: 10_000,
            after: from.toISOString(),
            before: new Date(to.getTime() - 1).toISOString(),
          })
        ).text(),
      );
      expect(target.received.map((r) => ttsUplinkId(JSON.parse(r.body) as TtsApplicationUp))).toEqual(stored);
    } finally {
      await target.close();
    }
  });
});
