import { describe, expect, it } from "vitest";
import { formatAge, formatDate, formatDateTime, formatDgaDateTime, formatNumber, zonedTimeToDate } from "./format";

describe("Chilean display formats", () => {
  it("shows dates as dd-mm-yyyy in America/Santiago, across DST", () => {
    expect(formatDateTime("2026-07-01T14:00:00Z")).toBe("01-07-2026 10:00"); // winter, UTC-4
    expect(formatDateTime("2026-12-01T14:00:00Z")).toBe("01-12-2026 11:00"); // summer, UTC-3
    expect(formatDate("2026-01-01T02:00:00Z")).toBe("31-12-2025");
  });

  it("shows DGA times in fixed UTC-4 all year", () => {
    expect(formatDgaDateTime("2026-12-01T14:00:00Z")).toBe("01-12-2026 10:00 (UTC-4)");
  });

  it("uses a decimal comma and dot thousands", () => {
    expect(formatNumber(12345.678, 2)).toBe("12.345,68");
    expect(formatNumber(null)).toBe("—");
  });

  it("describes ages", () => {
    expect(formatAge("2026-01-01T00:00:00Z", new Date("2026-01-01T00:05:00Z"))).toBe("hace 5 min");
  });
});

describe("zonedTimeToDate", () => {
  it("reads wall-clock times in America/Santiago, summer (UTC-3) and winter (UTC-4)", () => {
    expect(zonedTimeToDate("2026-12-03T23:59:59").toISOString()).toBe("2026-12-04T02:59:59.000Z");
    expect(zonedTimeToDate("2026-07-03T23:59").toISOString()).toBe("2026-07-04T03:59:00.000Z");
    expect(formatDate(zonedTimeToDate("2026-12-31T23:59:59"))).toBe("31-12-2026");
    expect(Number.isNaN(zonedTimeToDate("ayer").getTime())).toBe(true);
  });
});
