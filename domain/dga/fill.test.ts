import { describe, expect, it } from "vitest";
import { fillSlot, type SlotMeasurement } from "./fill";

const slotAt = new Date("2026-06-09T14:00:00Z");
const m = (variable: SlotMeasurement["variable"], ts: string, value: number | null, quality = 0): SlotMeasurement => ({
  variable,
  ts: new Date(ts),
  value,
  quality,
});
const instant = { flowMode: "instant" } as const;

describe("fillSlot", () => {
  it("fills groundwater from the readings of the slot's minute only", () => {
    const result = fillSlot({
      slotAt,
      rule: instant,
      pointKind: "groundwater",
      measurements: [
        m("flow", "2026-06-09T13:59:00Z", 99),
        m("flow", "2026-06-09T14:00:12Z", 12.34),
        m("totalizer", "2026-06-09T14:00:00Z", 123456.9),
        m("level", "2026-06-09T14:00:00Z", 1.2),
        m("water_table", "2026-06-09T14:00:00Z", 35.7),
        m("flow", "2026-06-09T14:01:00Z", 77),
      ],
    });
    expect(result).toEqual({
      kind: "filled",
      values: { flowLps: 12.34, totalizerM3: 123456.9, levelM: 35.7, heightCm: null },
      flaggedVariables: [],
    });
  });

  it("is empty when nothing matches the slot exactly", () => {
    const result = fillSlot({
      slotAt,
      rule: instant,
      pointKind: "groundwater",
      measurements: [m("flow", "2026-06-09T13:59:59Z", 5), m("totalizer", "2026-06-09T14:05:00Z", 9)],
    });
    expect(result).toEqual({ kind: "empty" });
  });

  it("prefers a good reading over a flagged one in the same minute and reports flagged values", () => {
    const good = fillSlot({
      slotAt,
      rule: instant,
      pointKind: "surface_flowmeter",
      measurements: [
        m("flow", "2026-06-09T14:00:00Z", 50, 2),
        m("flow", "2026-06-09T14:00:30Z", 10),
        m("totalizer", "2026-06-09T14:00:00Z", 500, 1),
      ],
    });
    expect(good).toEqual({
      kind: "filled",
      values: { flowLps: 10, totalizerM3: 500, levelM: null, heightCm: null },
      flaggedVariables: ["totalizer"],
    });
  });

  it("keeps negative and null values as they are (never clamps)", () => {
    const result = fillSlot({
      slotAt,
      rule: instant,
      pointKind: "groundwater",
      measurements: [m("flow", "2026-06-09T14:00:00Z", -3.5), m("totalizer", "2026-06-09T14:00:00Z", null)],
    });
    expect(result).toEqual({
      kind: "filled",
      values: { flowLps: -3.5, totalizerM3: null, levelM: null, heightCm: null },
      flaggedVariables: [],
    });
  });

  it("uses the level in cm as alturaLimnimetrica for surface points and ignores totalizers", () => {
    const result = fillSlot({
      slotAt,
      rule: instant,
      pointKind: "surface",
      measurements: [
        m("flow", "2026-06-09T14:00:00Z", 250),
        m("level", "2026-06-09T14:00:00Z", 0.42),
        m("totalizer", "2026-06-09T14:00:00Z", 1),
      ],
    });
    expect(result.kind === "filled" && result.values).toEqual({
      flowLps: 250,
      totalizerM3: null,
      levelM: null,
      heightCm: 42,
    });
  });

  describe("average_from_totalizer", () => {
    const daySlot = new Date("2026-06-10T04:00:00Z");
    const rule = { flowMode: "average_from_totalizer" } as const;
    it("divides the volume since the previous slot by the elapsed seconds", () => {
      const result = fillSlot({
        slotAt: daySlot,
        rule,
        pointKind: "groundwater",
        measurements: [
          m("flow", "2026-06-10T04:00:00Z", 99),
          m("totalizer", "2026-06-10T04:00:00Z", 10_864),
          m("level", "2026-06-10T04:00:00Z", 20),
        ],
        previous: { slotAt: new Date("2026-06-09T04:00:00Z"), values: { totalizerM3: 10_000 } },
      });
      expect(result.kind === "filled" && result.values.flowLps).toBe(10);
    });
    it("leaves flow empty without a previous totalizer, and negative after a meter reset", () => {
      const measurements = [m("totalizer", "2026-06-10T04:00:00Z", 100)];
      const none = fillSlot({ slotAt: daySlot, rule, pointKind: "surface_flowmeter", measurements });
      expect(none.kind === "filled" && none.values.flowLps).toBeNull();
      const reset = fillSlot({
        slotAt: daySlot,
        rule,
        pointKind: "surface_flowmeter",
        measurements,
        previous: { slotAt: new Date("2026-06-09T04:00:00Z"), values: { totalizerM3: 964 } },
      });
      expect(reset.kind === "filled" && reset.values.flowLps).toBe(-10);
    });
  });
});
