import { describe, expect, it } from "vitest";
import { AlertRuleSpecSchema, INITIAL_RULE_STATE, describeRule, previewRule, stepRule, type RuleSample } from "./rule";
import {
  RuleScheduleSchema,
  describeSchedule,
  inTimeWindow,
  pumpOnAt,
  santiagoClock,
  scheduleAllows,
} from "./schedule";

// 2026-11-02 is a Monday; Santiago is on summer time (UTC-3) in November.
const mondayUtc = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 2, h, m));
const sched = (s: Record<string, unknown>) => RuleScheduleSchema.parse(s);

describe("schedule: time windows in America/Santiago", () => {
  it("reads the Santiago clock, summer (UTC-3) and winter (UTC-4)", () => {
    expect(santiagoClock(mondayUtc(11, 30))).toEqual({ minute: 8 * 60 + 30, weekday: 1 });
    expect(santiagoClock(new Date(Date.UTC(2026, 6, 6, 12)))).toEqual({ minute: 8 * 60, weekday: 1 });
    // 01:00 UTC Monday is still Sunday 22:00 in Santiago.
    expect(santiagoClock(mondayUtc(1))).toEqual({ minute: 22 * 60, weekday: 7 });
  });

  it("a day window, a window past midnight, and weekdays", () => {
    const office = sched({ from: "08:00", to: "20:00", weekdays: [1, 2, 3, 4, 5] });
    expect(inTimeWindow(office, mondayUtc(11))).toBe(true); // 08:00
    expect(inTimeWindow(office, mondayUtc(10, 59))).toBe(false); // 07:59
    expect(inTimeWindow(office, mondayUtc(23))).toBe(false); // 20:00 (end excluded)
    expect(inTimeWindow(office, new Date(Date.UTC(2026, 10, 7, 15)))).toBe(false); // Saturday noon
    const night = sched({ from: "22:00", to: "06:00", weekdays: [7] });
    expect(inTimeWindow(night, mondayUtc(1))).toBe(true); // Sunday 22:00
    expect(inTimeWindow(night, mondayUtc(8))).toBe(true); // Monday 05:00 belongs to Sunday's night
    expect(inTimeWindow(night, mondayUtc(10))).toBe(false); // Monday 07:00
    expect(inTimeWindow(sched({}), mondayUtc(3))).toBe(true);
  });

  it("rejects a window with one end only", () => {
    expect(RuleScheduleSchema.safeParse({ from: "08:00" }).success).toBe(false);
    expect(RuleScheduleSchema.safeParse({ from: "8:00", to: "20:00" }).success).toBe(false);
  });

  it("describes itself in Spanish", () => {
    expect(
      describeSchedule(sched({ pumpOnAboveLps: 0.5, from: "08:00", to: "20:00", weekdays: [1, 2, 3, 4, 5] })),
    ).toBe("solo con bomba en marcha (caudal > 0,5 L/s), de 08:00 a 20:00, lun–vie");
    expect(describeSchedule(sched({ weekdays: [6, 7] }))).toBe("sáb, dom");
  });
});

describe("schedule: only when the pump is on", () => {
  const flow: RuleSample[] = [
    { ts: mondayUtc(12, 0), value: 0 },
    { ts: mondayUtc(12, 10), value: 8 },
    { ts: mondayUtc(12, 20), value: 8.2 },
  ];
  it("takes the nearest flow reading within 5 minutes; unknown does not count", () => {
    expect(pumpOnAt(flow, mondayUtc(12, 2), 0.5)).toBe(false);
    expect(pumpOnAt(flow, mondayUtc(12, 8), 0.5)).toBe(true);
    expect(pumpOnAt(flow, mondayUtc(13), 0.5)).toBeNull();
    expect(scheduleAllows(sched({ pumpOnAboveLps: 0.5 }), mondayUtc(13), flow)).toBe(false);
    expect(scheduleAllows(null, mondayUtc(13), undefined)).toBe(true);
  });

  it("a level rule counts only while pumping: the pump stop resolves the episode", () => {
    const rule = AlertRuleSpecSchema.parse({
      name: "Nivel bajo bombeando",
      variable: "level",
      condition: "below",
      threshold: 12,
      unit: "m",
      durationMin: 30,
      schedule: { pumpOnAboveLps: 0.5 },
    });
    expect(describeRule(rule)).toBe("Nivel < 12 m durante 30 min, solo con bomba en marcha (caudal > 0,5 L/s)");
    const t = (min: number) => new Date(mondayUtc(12).getTime() + min * 60_000);
    // Level 11 m for 3 h every 10 min; pump on during the first 90 min, off after.
    const level = Array.from({ length: 18 }, (_, i) => ({ ts: t(i * 10), value: 11 }));
    const pump = Array.from({ length: 18 }, (_, i) => ({ ts: t(i * 10), value: i < 9 ? 9 : 0 }));
    const { events } = stepRule(rule, INITIAL_RULE_STATE, level, { flow: pump });
    expect(events.map((e) => [e.kind, e.at.getTime()])).toEqual([
      ["fire", t(30).getTime()],
      ["resolve", t(90).getTime()],
    ]);
    expect(events[1]!.reason).toBe("Fuera del horario de la regla");
    // Without the schedule the same data is one episode that never resolves; with the pump always off, none.
    expect(stepRule({ ...rule, schedule: null }, INITIAL_RULE_STATE, level).events).toHaveLength(1);
    const off = pump.map((p) => ({ ...p, value: 0 }));
    expect(previewRule(rule, level, 30, { flow: off }).fires).toBe(0);
  });

  it("a time window keeps night readings from starting an episode", () => {
    const rule = AlertRuleSpecSchema.parse({
      name: "Caudal alto de día",
      variable: "flow",
      condition: "above",
      threshold: 10,
      unit: "L/s",
      durationMin: 0,
      schedule: { from: "08:00", to: "20:00" },
    });
    const night = [{ ts: mondayUtc(5), value: 20 }]; // 02:00 Santiago
    const day = [{ ts: mondayUtc(13), value: 20 }]; // 10:00 Santiago
    expect(stepRule(rule, INITIAL_RULE_STATE, night).events).toHaveLength(0);
    expect(stepRule(rule, INITIAL_RULE_STATE, day).events).toHaveLength(1);
  });

  it("no_data rules take no schedule", () => {
    const r = AlertRuleSpecSchema.safeParse({
      name: "Silencio",
      variable: "flow",
      condition: "no_data",
      threshold: 0,
      unit: "L/s",
      durationMin: 60,
      schedule: { from: "08:00", to: "20:00" },
    });
    expect(r.success).toBe(false);
  });
});
