import { describe, expect, it } from "vitest";
import fc from "fast-check";
import wide from "@/domain/__fixtures__/providers/custom-wide.json";
import long from "@/domain/__fixtures__/providers/custom-long.json";
import { AppError } from "@/domain/errors";
import { compileCustomMapping, compilePath, parseCustom, selectPath } from "./custom";

describe("JSONPath-lite", () => {
  it("selects props, indexes, quoted names and wildcards", () => {
    const doc = { a: { "b c": [{ x: 1 }, { x: 2 }] } };
    expect(selectPath(doc, compilePath("$.a['b c'][*].x"))).toEqual([1, 2]);
    expect(selectPath(doc, compilePath("a['b c'][1].x"))).toEqual([2]);
    expect(selectPath(doc, compilePath("$.a.missing.x"))).toEqual([]);
    expect(selectPath([5, 6], compilePath("$"))).toEqual([[5, 6]]);
  });
  it("rejects paths it cannot read", () => {
    expect(() => compilePath("$.a[?(@.x)]")).toThrow(AppError);
  });
});

describe("parseCustom", () => {
  it("maps a wide format (several values per row) with epoch seconds", () => {
    const m = compileCustomMapping({
      itemsPath: "$.data.rows[*]",
      tsPath: "epoch",
      idPath: "id",
      fields: [
        { key: "caudal", valuePath: "q", unit: "L/s" },
        { key: "totalizador", valuePath: "tot", unit: "m3" },
        { key: "nivel", valuePath: "lvl", unit: "m" },
      ],
    });
    const r = parseCustom(wide, m, "custom:EST-0042");
    expect(r.readings).toHaveLength(5);
    expect(r.readings[0]).toMatchObject({
      deviceRef: "custom:EST-0042",
      key: "caudal",
      rawValue: "12.4",
      rawUnit: "L/s",
      sourceId: "9001:caudal",
    });
    expect(r.readings[0]!.measuredAt.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(r.rejected.map((x) => x.reason)).toEqual([
      "nivel: value null is not numeric",
      expect.stringMatching(/timestamp "bad"/) as string,
    ]);
  });

  it("maps a long format with key/unit paths, ISO offsets and epoch ms; zone-less ISO is rejected", () => {
    const m = compileCustomMapping({
      itemsPath: "$.measurements",
      tsPath: "at",
      keyPath: "sensor.tag",
      unitPath: "sensor.unit",
      valuePath: "reading",
    });
    const r = parseCustom(long, m, "d");
    expect(r.readings.map((x) => [x.key, x.rawUnit, x.measuredAt.toISOString()])).toEqual([
      ["caudal", "m3/h", "2025-03-10T14:00:00.000Z"],
      ["nivel", "cm", "2025-03-10T14:00:00.000Z"],
    ]);
    expect(r.rejected).toEqual([{ index: 2, reason: expect.stringMatching(/zoned ISO/) as string }]);
  });

  it("validates the mapping once", () => {
    expect(() => compileCustomMapping({ itemsPath: "$", tsPath: "t" })).toThrow(/fields/);
  });

  it("reports an items path that matches nothing and never throws", () => {
    const m = compileCustomMapping({ itemsPath: "$.rows", tsPath: "t", key: "k", valuePath: "v" });
    expect(parseCustom({ other: [] }, m, "d").rejected[0]!.reason).toMatch(/matched nothing/);
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        parseCustom(body, m, "d");
      }),
    );
  });
});
