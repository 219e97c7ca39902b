import { describe, expect, it } from "vitest";
import {
  civil,
  dayNumber,
  formatDayEs,
  isoDay,
  monthIndexOf,
  monthOf,
  monthRange,
  santiagoDayNumber,
  waterYearRange,
  weekdayOf,
} from "./calendar";

describe("forecast calendar", () => {
  it("round-trips ISO days and agrees with Date on month and weekday for every day of 1990–2040", () => {
    for (let d = dayNumber("1990-01-01"); d < dayNumber("2040-12-31"); d += 1) {
      const date = new Date(d * 86_400_000);
      const c = civil(d);
      if (c.y !== date.getUTCFullYear() || c.m !== date.getUTCMonth() + 1 || c.d !== date.getUTCDate())
        throw new Error(`civil(${d}) ≠ ${date.toISOString()}`);
      if (weekdayOf(d) !== date.getUTCDay()) throw new Error(`weekday of ${isoDay(d)}`);
    }
    expect(isoDay(dayNumber("2026-12-03"))).toBe("2026-12-03");
    expect(monthOf(dayNumber("2026-02-28"))).toBe(1);
    expect(monthIndexOf(dayNumber("2027-01-01")) - monthIndexOf(dayNumber("2026-12-31"))).toBe(1);
  });

  it("uses Santiago calendar days for instants", () => {
    expect(isoDay(santiagoDayNumber(new Date("2026-03-01T02:00:00Z")))).toBe("2026-02-28");
    expect(isoDay(santiagoDayNumber(new Date("2026-07-01T05:00:00Z")))).toBe("2026-07-01");
  });

  it("gives month and water-year ranges (end exclusive) for any start month", () => {
    const d = dayNumber("2026-02-14");
    expect(monthRange(d)).toEqual({ from: dayNumber("2026-02-01"), to: dayNumber("2026-03-01") });
    expect(waterYearRange(d, 1)).toEqual({ from: dayNumber("2026-01-01"), to: dayNumber("2027-01-01") });
    expect(waterYearRange(d, 4)).toEqual({ from: dayNumber("2025-04-01"), to: dayNumber("2026-04-01") });
    expect(waterYearRange(dayNumber("2026-04-01"), 4)).toEqual({
      from: dayNumber("2026-04-01"),
      to: dayNumber("2027-04-01"),
    });
    for (let m = 1; m <= 12; m++) {
      const r = waterYearRange(d, m);
      expect(r.from <= d && d < r.to).toBe(true);
      expect(civil(r.from).m).toBe(m);
      expect(civil(r.from).d).toBe(1);
    }
  });

  it("formats dd-mm-yyyy", () => {
    expect(formatDayEs(dayNumber("2026-09-05"))).toBe("05-09-2026");
  });
});
