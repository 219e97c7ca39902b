import { describe, expect, it } from "vitest";
import fc from "fast-check";
import data from "@/domain/__fixtures__/providers/tago-data.json";
import action from "@/domain/__fixtures__/providers/tago-action.json";
import rateLimited from "@/domain/__fixtures__/providers/tago-rate-limited.json";
import { AppError } from "@/domain/errors";
import { parseTagoActionBody, parseTagoDataResponse, parseTagoRetryAfter, tagoDataUrl, tagoNextPage } from "./tago";

describe("parseTagoDataResponse", () => {
  it("maps records to readings with id, unit and created_at", () => {
    const r = parseTagoDataResponse(data);
    expect(r.rejected).toEqual([]);
    expect(r.count).toBe(3);
    expect(r.readings[2]).toMatchObject({
      deviceRef: "64f1c2aa55e1a0000912beef",
      key: "nivel",
      rawValue: "41.27",
      rawUnit: "m",
      sourceId: "67cf0a1e9b3e4b0009a1c003",
    });
    expect(r.readings[2]!.measuredAt.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(r.readings[2]!.receivedAt!.toISOString()).toBe("2025-03-10T14:03:12.418Z");
  });

  it("uses the fallback device ref when records omit device", () => {
    const r = parseTagoDataResponse(
      { status: true, result: [{ variable: "caudal", value: 1, time: "2025-03-10T14:00:00.000Z" }] },
      "tago:dev",
    );
    expect(r.readings[0]).toMatchObject({ deviceRef: "tago:dev", sourceId: null, receivedAt: null });
  });

  it("throws on error envelopes, aggregate results and garbage", () => {
    for (const bad of [rateLimited, { status: true, result: 42 }, "<html>", null])
      expect(() => parseTagoDataResponse(bad)).toThrow(AppError);
  });
});

describe("parseTagoActionBody", () => {
  it("accepts good records and rejects each bad one with a reason", () => {
    const r = parseTagoActionBody(action);
    expect(r.readings.map((x) => [x.key, x.rawValue])).toEqual([
      ["totalizador", 3092.311],
      ["nivel", -9999],
      ["bomba", true],
      ["caudal", "n/a"],
    ]);
    expect(r.rejected).toEqual([
      { index: 4, reason: 'caudal: time "2025-03-10T10:00:00" is not a zoned ISO instant' },
      { index: 5, reason: "value: value must be a number, string or boolean" },
      { index: 6, reason: expect.stringMatching(/^variable:/) as string },
      { index: 7, reason: expect.stringMatching(/^record:/) as string },
      { index: 8, reason: "caudal: record has no device" },
    ]);
  });

  it("keeps negative logger codes as raw values (quality is the normalizer's call)", () => {
    expect(parseTagoActionBody(action).readings[1]).toMatchObject({
      rawValue: -9999,
      deviceRef: "64f1c2aa55e1a0000912beef",
    });
  });

  it("tolerates a single object and a JSON string; rejects other bodies", () => {
    expect(parseTagoActionBody(action[0]).readings).toHaveLength(1);
    expect(parseTagoActionBody(JSON.stringify(action)).readings).toHaveLength(4);
    expect(parseTagoActionBody("nope").rejected[0]!.reason).toMatch(/expected an array/);
  });

  it("keeps duplicates with the same time but different ids", () => {
    const twice = [data.result[0], { ...data.result[0], id: "67cf0a1e9b3e4b0009a1cfff" }];
    const r = parseTagoActionBody(twice);
    expect(r.readings.map((x) => x.sourceId)).toEqual(["67cf0a1e9b3e4b0009a1c001", "67cf0a1e9b3e4b0009a1cfff"]);
  });

  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        parseTagoActionBody(body);
      }),
    );
  });
});

describe("tago helpers", () => {
  it("parses Retry-After from the 429 message", () => {
    expect(parseTagoRetryAfter(rateLimited.message)).toBe(37_000);
    expect(parseTagoRetryAfter("Too many requests")).toBeNull();
    expect(parseTagoRetryAfter(undefined)).toBeNull();
  });

  it("builds /data URLs with full ISO dates and Z", () => {
    const url = new URL(
      tagoDataUrl("https://api.tago.io", {
        variables: ["caudal"],
        qty: 20_000,
        skip: 0,
        ordination: "ascending",
        startDate: new Date(Date.UTC(2025, 4, 1, 10)),
        endDate: new Date(Date.UTC(2025, 4, 2, 10)),
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      variable: "caudal",
      qty: "10000",
      skip: "0",
      ordination: "ascending",
      start_date: "2025-05-01T10:00:00.000Z",
      end_date: "2025-05-02T10:00:00.000Z",
    });
    const multi = new URL(tagoDataUrl("https://api.tago.io/", { variables: ["caudal", "nivel"], query: "last_item" }));
    expect(multi.searchParams.getAll("variable[]")).toEqual(["caudal", "nivel"]);
    expect(multi.searchParams.get("query")).toBe("last_item");
  });

  it("pages with qty/skip until a short page", () => {
    expect(tagoNextPage(100, 0, { count: 100 })).toEqual({ done: false, skip: 100 });
    expect(tagoNextPage(100, 100, { count: 99 })).toEqual({ done: true });
  });
});
