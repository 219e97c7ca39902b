import { describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { dgaMonthOf, fromDgaDateTime, fromDgaWallClock, timeStampOrigen, toDgaDateTime, toDgaWallClock } from "./time";

const santiagoOffsetHours = (utc: Date): number => {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: "America/Santiago", timeZoneName: "shortOffset" })
    .formatToParts(utc)
    .find((p) => p.type === "timeZoneName")?.value;
  return Number(name?.replace("GMT", "") ?? "NaN");
};

describe("DGA clock (fixed UTC-4)", () => {
  it("formats fecha and hora on UTC-4", () => {
    expect(toDgaDateTime(new Date("2026-06-09T14:00:00Z"))).toEqual({ fecha: "2026-06-09", hora: "10:00:00" });
    expect(toDgaDateTime(new Date("2026-01-01T03:59:59Z"))).toEqual({ fecha: "2025-12-31", hora: "23:59:59" });
  });

  it.each([
    ["end of Chilean summer time, 2026-04-05", "2026-04-04T02:30:00Z", "2026-04-05T03:30:00Z"],
    ["start of Chilean summer time, 2026-09-06", "2026-09-06T03:30:00Z", "2026-09-06T04:30:00Z"],
  ])("ignores the %s", (_label, before, after) => {
    const a = new Date(before);
    const b = new Date(after);
    expect(santiagoOffsetHours(a)).not.toBe(santiagoOffsetHours(b));
    for (const utc of [a, b]) {
      const w = toDgaWallClock(utc);
      expect(w.hour).toBe((utc.getUTCHours() + 24 - 4) % 24);
      expect(fromDgaWallClock(w).getTime()).toBe(utc.getTime());
    }
  });

  it("keeps an hourly slot at HH:00 every hour through both DST changes", () => {
    for (const start of ["2026-04-04T00:00:00Z", "2026-09-05T00:00:00Z"]) {
      for (let h = 0; h < 72; h++) {
        const utc = new Date(Date.parse(start) + h * 3_600_000);
        const { hora } = toDgaDateTime(utc);
        expect(hora).toMatch(/^\d{2}:00:00$/);
        expect(fromDgaDateTime(toDgaDateTime(utc).fecha, hora).getTime()).toBe(utc.getTime());
      }
    }
  });

  it("parses fecha/hora back and rejects malformed or impossible values", () => {
    expect(fromDgaDateTime("2026-06-09", "10:00:00").toISOString()).toBe("2026-06-09T14:00:00.000Z");
    for (const [f, h] of [
      ["2026-02-30", "10:00:00"],
      ["09-06-2026", "10:00:00"],
      ["2026-06-09", "24:00:00"],
      ["2026-06-09", "10:00"],
    ] as const) {
      expect(() => fromDgaDateTime(f, h)).toThrow(AppError);
    }
  });

  it("builds timeStampOrigen as the send time on UTC-4 with the literal -0000", () => {
    expect(timeStampOrigen(new Date("2026-06-09T14:05:09.987Z"))).toBe("2026-06-09T10:05:09-0000");
    expect(timeStampOrigen(new Date("2026-01-15T02:00:00Z"))).toBe("2026-01-14T22:00:00-0000");
  });

  it("rejects invalid dates", () => {
    expect(() => toDgaDateTime(new Date("nope"))).toThrow(AppError);
  });
});

describe("dgaMonthOf", () => {
  it("changes month at 04:00 UTC, the DGA's midnight, all year round", () => {
    expect(dgaMonthOf(new Date("2026-01-01T03:59:59Z"))).toBe("2025-12");
    expect(dgaMonthOf(new Date("2026-01-01T04:00:00Z"))).toBe("2026-01");
    expect(dgaMonthOf(new Date("2026-07-01T03:59:59Z"))).toBe("2026-06");
  });
});
