import { describe, expect, it } from "vitest";
import resources from "@/domain/__fixtures__/providers/thethingsio-resources.json";
import { AppError } from "@/domain/errors";
import {
  formatThethingsioDate,
  parseThethingsioDate,
  parseThethingsioResources,
  thethingsioNextPage,
  thethingsioResourceUrl,
} from "./thethingsio";

describe("parseThethingsioResources", () => {
  it("parses a newest-first array with number and string values", () => {
    const r = parseThethingsioResources(resources, "thing:pozo-3", "pulsos");
    expect(r.rejected).toEqual([]);
    expect(r.readings.map((x) => x.rawValue)).toEqual([3092318, "3092311", 3092300]);
    expect(r.readings[0]).toMatchObject({
      deviceRef: "thing:pozo-3",
      key: "pulsos",
      sourceId: "thing:pozo-3:pulsos:2025-03-10T14:02:06.000Z",
    });
    expect(r.oldest?.toISOString()).toBe("2025-03-10T14:00:06.000Z");
    expect(r.count).toBe(3);
  });

  it("rejects bad items with reasons and throws on a non-array body", () => {
    const r = parseThethingsioResources(
      [{ value: 1 }, { value: "x", datetime: "2025-03-10T14:00:06Z" }, null, { value: 2, datetime: "20250310140006" }],
      "t",
      "k",
    );
    expect(r.readings).toEqual([]);
    expect(r.rejected.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    expect(r.oldest?.toISOString()).toBe("2025-03-10T14:00:06.000Z");
    expect(() => parseThethingsioResources({ error: "not found" }, "t", "k")).toThrow(AppError);
  });
});

describe("thethings.iO dates and paging", () => {
  it("formats YYYYMMDDHHmmss in UTC, independent of DST", () => {
    expect(formatThethingsioDate(new Date("2025-04-06T03:30:59.999Z"))).toBe("20250406033059");
    expect(parseThethingsioDate("20250406033059")?.toISOString()).toBe("2025-04-06T03:30:59.000Z");
    expect(parseThethingsioDate("2025-04-06")).toBeNull();
  });

  it("moves endDate to the oldest datetime of a full page", () => {
    const page = parseThethingsioResources(resources, "t", "k");
    expect(thethingsioNextPage(3, page)).toEqual({ done: false, endDate: new Date("2025-03-10T14:00:06Z") });
    expect(thethingsioNextPage(4, page)).toEqual({ done: true });
    expect(thethingsioNextPage(3, page, new Date("2025-03-10T14:00:06.500Z"))).toEqual({ done: true, stalled: true });
  });

  it("builds the resource URL", () => {
    const url = thethingsioResourceUrl("https://api.thethings.io/v2", "tok/en", "pulsos", {
      limit: 100,
      startDate: new Date("2025-03-10T00:00:00Z"),
      endDate: new Date("2025-03-10T14:00:06Z"),
    });
    expect(url).toBe(
      "https://api.thethings.io/v2/things/tok%2Fen/resources/pulsos?limit=100&startDate=20250310000000&endDate=20250310140006",
    );
  });
});
