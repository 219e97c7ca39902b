import { describe, expect, it } from "vitest";
import { DEFAULT_STANDARDS } from "./standards";
import { configReasons, decideSlotState, validateSlot, type ValidationContext } from "./validate";
import type { FillResult, SlotValues } from "./fill";

const config = {
  obraCode: "OB-0602-7",
  informanteRut: "12345678-5",
  informanteHasPassword: true,
  centroControlRut: "76455593-7",
};
const ctx = (over: Partial<ValidationContext> = {}): ValidationContext => ({
  kind: "groundwater",
  rule: DEFAULT_STANDARDS.mayor,
  grantedFlowLps: 50,
  config,
  ...over,
});
const values = (over: Partial<SlotValues> = {}): SlotValues => ({
  flowLps: 12.5,
  totalizerM3: 123_456,
  levelM: 35.2,
  heightCm: null,
  ...over,
});

describe("validateSlot", () => {
  it("accepts a normal groundwater slot", () => {
    expect(validateSlot(values(), ctx({ previousTotalizerM3: 123_400 }))).toEqual([]);
  });

  it.each<[string, Partial<SlotValues>, Partial<ValidationContext>, string[]]>([
    ["negative flow", { flowLps: -0.01 }, {}, ["flow_negative"]],
    ["flow above granted + 20%", { flowLps: 60.01 }, {}, ["flow_above_granted"]],
    ["flow at granted + 20%", { flowLps: 60 }, {}, []],
    ["custom tolerance", { flowLps: 56 }, { tolerancePct: 10 }, ["flow_above_granted"]],
    ["flow > 1000 with no right", { flowLps: 1000.5 }, { grantedFlowLps: null }, ["flow_above_1000_no_right"]],
    ["missing flow", { flowLps: null }, {}, ["flow_missing"]],
    ["totalizer zero", { totalizerM3: 0 }, {}, ["totalizer_zero"]],
    ["negative totalizer", { totalizerM3: -5 }, {}, ["totalizer_negative"]],
    ["totalizer backwards", { totalizerM3: 123_000 }, { previousTotalizerM3: 123_001 }, ["totalizer_backwards"]],
    ["totalizer over 15 digits", { totalizerM3: 1e15 }, {}, ["totalizer_too_long"]],
    ["missing level on mayor", { levelM: null }, {}, ["level_missing"]],
    ["missing level on muy_pequenos", { levelM: null }, { rule: DEFAULT_STANDARDS.muy_pequenos }, []],
    ["negative level", { levelM: -0.5 }, {}, ["level_negative"]],
    ["flagged source", {}, { flaggedVariables: ["flow"] }, ["quality_flagged"]],
    ["all empty", { flowLps: null, totalizerM3: null, levelM: null }, {}, ["all_empty"]],
  ])("%s", (_label, v, c, expected) => {
    expect(validateSlot(values(v), ctx(c))).toEqual(expected);
  });

  it("flags a totalizer frozen for 4 slots while flow > 0, not 3, and not with zero flow", () => {
    const same = { flowLps: 5, totalizerM3: 123_456 };
    expect(validateSlot(values(same), ctx({ recentSlots: [same, same, same] }))).toEqual(["totalizer_frozen"]);
    expect(
      validateSlot(values(same), ctx({ recentSlots: [{ flowLps: 5, totalizerM3: 123_450 }, same, same] })),
    ).toEqual([]);
    expect(validateSlot(values(same), ctx({ recentSlots: [same, same] }))).toEqual([]);
    expect(
      validateSlot(values(same), ctx({ recentSlots: [same, { flowLps: 0, totalizerM3: 123_456 }, same] })),
    ).toEqual([]);
  });

  it("checks the fields each kind reports", () => {
    expect(validateSlot(values({ totalizerM3: null, levelM: null, heightCm: 40 }), ctx({ kind: "surface" }))).toEqual(
      [],
    );
    expect(validateSlot(values({ totalizerM3: null, heightCm: null }), ctx({ kind: "surface" }))).toEqual([
      "height_missing",
    ]);
    expect(validateSlot(values({ levelM: null }), ctx({ kind: "surface_flowmeter" }))).toEqual([]);
  });

  it("reports configuration problems", () => {
    expect(
      configReasons({ obraCode: null, informanteRut: null, informanteHasPassword: false, centroControlRut: undefined }),
    ).toEqual(["obra_code_missing", "informante_missing", "centro_control_missing"]);
    expect(
      configReasons({
        obraCode: "OB-0602-07",
        informanteRut: "20999888-7",
        informanteHasPassword: true,
        centroControlRut: "77555666-7",
      }),
    ).toEqual(["obra_code_invalid", "informante_invalid", "centro_control_invalid"]);
    expect(validateSlot(values(), ctx({ config: { ...config, centroControlRut: "" } }))).toEqual([
      "centro_control_missing",
    ]);
  });
});

describe("decideSlotState", () => {
  const slotAt = new Date("2026-06-09T14:00:00Z");
  const at = (hours: number) => new Date(slotAt.getTime() + hours * 3_600_000);
  const filled: FillResult = { kind: "filled", values: values(), flaggedVariables: [] };
  it("pending when clean, review with reasons otherwise", () => {
    expect(decideSlotState({ fill: filled, reasons: [], slotAt, now: at(1) })).toEqual({
      state: "pending",
      reasons: [],
    });
    expect(decideSlotState({ fill: filled, reasons: ["flow_negative"], slotAt, now: at(1) })).toEqual({
      state: "requires_review",
      reasons: ["flow_negative"],
    });
  });
  it("empty waits, then goes to review when stale, then is written off", () => {
    const empty = { kind: "empty" } as const;
    expect(decideSlotState({ fill: empty, reasons: [], slotAt, now: at(47) }).state).toBe("empty");
    expect(decideSlotState({ fill: empty, reasons: [], slotAt, now: at(48) })).toEqual({
      state: "requires_review",
      reasons: ["no_data_stale"],
    });
    expect(decideSlotState({ fill: empty, reasons: [], slotAt, now: at(30 * 24) })).toEqual({
      state: "skipped",
      reasons: ["no_data_written_off"],
    });
  });
});
