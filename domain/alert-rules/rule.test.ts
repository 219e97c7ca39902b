import { describe, expect, it } from "vitest";
import {
  AlertRuleSpecSchema,
  INITIAL_RULE_STATE,
  canonicalThreshold,
  describeRule,
  noDataDue,
  previewRule,
  stepRule,
  type RuleSample,
} from "./rule";

const t0 = Date.UTC(2026, 10, 1, 12);
const at = (min: number) => new Date(t0 + min * 60_000);
/** Samples every `stepMin` minutes from a list of values. */
const series = (values: number[], stepMin = 15, startMin = 0): RuleSample[] =>
  values.map((value, i) => ({ ts: at(startMin + i * stepMin), value }));
const levelBelow12 = AlertRuleSpecSchema.parse({
  name: "Nivel bajo",
  variable: "level",
  condition: "below",
  threshold: 12,
  unit: "m",
  durationMin: 30,
  hysteresis: 0.5,
});

describe("alert rule spec", () => {
  it("validates units per variable and converts to canonical units", () => {
    expect(AlertRuleSpecSchema.safeParse({ ...levelBelow12, unit: "L/s" }).success).toBe(false);
    expect(AlertRuleSpecSchema.safeParse({ ...levelBelow12, condition: "no_data", durationMin: 0 }).success).toBe(
      false,
    );
    expect(canonicalThreshold({ variable: "flow", unit: "m3/h", threshold: 36, hysteresis: 3.6 })).toEqual({
      threshold: 10,
      hysteresis: 1,
    });
    expect(canonicalThreshold({ variable: "level", unit: "cm", threshold: 1200, hysteresis: 50 })).toEqual({
      threshold: 12,
      hysteresis: 0.5,
    });
    expect(describeRule(levelBelow12)).toBe("Nivel < 12 m durante 30 min");
    expect(describeRule({ ...levelBelow12, durationMin: 120, condition: "above", threshold: 12.5 })).toBe(
      "Nivel > 12,50 m durante 2 h",
    );
  });
});

describe("stepRule", () => {
  it("fires once the condition has held for the duration, once per episode, and resolves past the hysteresis", () => {
    // below 12 from minute 15; held 30 min at minute 45 → fire; hovering 12.2 (inside the band) keeps it open; 12.6 resolves.
    const s = series([13, 11.8, 11.7, 11.9, 11.5, 12.2, 11.9, 12.6, 13, 11.9, 11.8, 12.4, 11.0, 11.1, 11.2]);
    const { events, state } = stepRule(levelBelow12, INITIAL_RULE_STATE, s);
    expect(events.map((e) => [e.kind, (e.at.getTime() - t0) / 60_000])).toEqual([
      ["fire", 45],
      ["resolve", 105],
      ["fire", 210],
    ]);
    expect(events[0]!.reason).toBe("Nivel < 12 m durante 30 min: 11,90 m");
    expect(state.firingSince).toEqual(at(210));
  });
  it("is incremental: feeding the samples in pieces gives the same events, and old samples are ignored", () => {
    const s = series([13, 11.8, 11.7, 11.9, 11.5, 12.2, 11.9, 12.6, 13, 11.9, 11.8, 11.7]);
    const whole = stepRule(levelBelow12, INITIAL_RULE_STATE, s).events;
    let state = INITIAL_RULE_STATE;
    const pieces = [];
    for (const chunk of [s.slice(0, 2), s.slice(2, 3), s.slice(0, 7), s.slice(7)]) {
      const r = stepRule(levelBelow12, state, chunk);
      state = r.state;
      pieces.push(...r.events);
    }
    expect(pieces).toEqual(whole);
  });
  it("does not fire when the condition breaks before the duration", () => {
    const { events } = stepRule(levelBelow12, INITIAL_RULE_STATE, series([11, 11, 13, 11, 11, 13]));
    expect(events).toEqual([]);
  });
  it("evaluates rates per hour over trusted gaps only", () => {
    const rule = AlertRuleSpecSchema.parse({
      name: "Descenso",
      variable: "water_table",
      condition: "rate_above",
      threshold: 1,
      unit: "m",
      durationMin: 0,
    });
    const { events } = stepRule(rule, INITIAL_RULE_STATE, [
      { ts: at(0), value: 20 },
      { ts: at(30), value: 20.2 },
      { ts: at(60), value: 21 },
      { ts: at(60 * 9), value: 40 },
      { ts: at(60 * 9 + 30), value: 40.1 },
    ]);
    expect(events.map((e) => [e.kind, (e.at.getTime() - t0) / 60_000])).toEqual([
      ["fire", 60],
      ["resolve", 570],
    ]);
    expect(events[0]!.value).toBeCloseTo(1.6, 10);
  });
  it("finds silences longer than the duration for no_data", () => {
    const rule = AlertRuleSpecSchema.parse({
      name: "Silencio",
      variable: "flow",
      condition: "no_data",
      threshold: 0,
      unit: "L/s",
      durationMin: 60,
    });
    const s = [...series([1, 1, 1]), ...series([1, 1], 15, 200)];
    const { events } = stepRule(rule, INITIAL_RULE_STATE, s);
    expect(events.map((e) => [e.kind, (e.at.getTime() - t0) / 60_000])).toEqual([
      ["fire", 90],
      ["resolve", 200],
    ]);
  });
});

describe("previewRule", () => {
  it("counts episodes and says it in Spanish", () => {
    const p = previewRule(levelBelow12, series([13, 11.8, 11.7, 11.9, 13, 11, 11, 11, 11]), 30);
    expect(p.fires).toBe(2);
    expect(p.episodes[0]!.resolvedAt).toEqual(at(60));
    expect(p.episodes[1]!.resolvedAt).toBeNull();
    expect(p.sentence).toBe("Esta regla habría disparado 2 veces en los últimos 30 días.");
    expect(previewRule(levelBelow12, series([13, 11.8, 11.7, 11.6]), 30).sentence).toBe(
      "Esta regla habría disparado 1 vez en los últimos 30 días.",
    );
    expect(previewRule(levelBelow12, [], 30).sentence).toMatch(/^Sin datos/);
  });
});

describe("noDataDue", () => {
  const rule = AlertRuleSpecSchema.parse({
    name: "Silencio",
    variable: "flow",
    condition: "no_data",
    threshold: 0,
    unit: "L/s",
    durationMin: 60,
  });
  it("fires live once the silence passes the duration, and the next data resolve it without a second fire", () => {
    const { state } = stepRule(rule, INITIAL_RULE_STATE, series([1, 1]));
    expect(noDataDue(rule, state, at(75))).toBeNull();
    const e = noDataDue(rule, state, at(76))!;
    expect(e).toMatchObject({ kind: "fire", at: at(75) });
    const firing = { ...state, firingSince: e.at };
    expect(noDataDue(rule, firing, at(500))).toBeNull();
    const back = stepRule(rule, firing, series([1], 15, 300));
    expect(back.events.map((x) => x.kind)).toEqual(["resolve"]);
    expect(back.state.firingSince).toBeNull();
    expect(noDataDue({ ...rule, condition: "below" }, state, at(500))).toBeNull();
  });
});
