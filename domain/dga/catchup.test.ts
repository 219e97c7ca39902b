import { describe, expect, it } from "vitest";
import {
  CATCHUP_MAX_SLOTS_PER_POINT,
  countBoundaries,
  firstBoundaryAtOrAfter,
  owedCount,
  planCatchUp,
} from "./catchup";
import { dueSlots } from "./slots";
import { DEFAULT_STANDARDS } from "./standards";
import { toDgaDateTime } from "./time";

const d = (iso: string) => new Date(iso);
const { mayor, medio, menor, muy_pequenos } = DEFAULT_STANDARDS;

describe("owed boundaries", () => {
  it("the first owed slot is the first boundary at or after go-live", () => {
    expect(firstBoundaryAtOrAfter(mayor, d("2026-10-05T14:37:00Z")).toISOString()).toBe("2026-10-05T15:00:00.000Z");
    expect(firstBoundaryAtOrAfter(mayor, d("2026-10-05T14:00:00Z")).toISOString()).toBe("2026-10-05T14:00:00.000Z");
    // Mid-day go-live of a Medio point: today's 00:00 (UTC-4) is not owed, tomorrow's is.
    expect(toDgaDateTime(firstBoundaryAtOrAfter(medio, d("2026-10-05T14:37:00Z")))).toEqual({
      fecha: "2026-10-06",
      hora: "00:00:00",
    });
    expect(toDgaDateTime(firstBoundaryAtOrAfter(menor, d("2026-10-05T14:37:00Z")))).toEqual({
      fecha: "2026-11-01",
      hora: "00:00:00",
    });
  });

  it("counts boundaries arithmetically, equal to listing them", () => {
    for (const [rule, from, to] of [
      [mayor, "2026-03-30T10:20:00Z", "2026-04-09T03:00:00Z"],
      [medio, "2026-08-20T00:00:00Z", "2026-09-20T04:00:00Z"],
      [menor, "2025-01-01T00:00:00Z", "2026-12-31T00:00:00Z"],
      [muy_pequenos, "2025-01-01T00:00:00Z", "2026-12-31T00:00:00Z"],
    ] as const) {
      expect(countBoundaries(rule, d(from), d(to))).toBe(dueSlots({ rule, from: d(from), to: d(to) }).length);
    }
    expect(countBoundaries(mayor, d("2026-10-05T14:00:00Z"), d("2026-10-05T13:00:00Z"))).toBe(0);
  });

  it("a point owes nothing before go-live, nothing in the future, nothing without go-live", () => {
    const goLive = d("2026-10-05T14:37:00Z");
    expect(
      owedCount(mayor, goLive, d("2026-10-01T04:00:00Z"), d("2026-11-01T04:00:00Z"), d("2026-10-05T18:10:00Z")),
    ).toBe(4); // 15:00 … 18:00
    expect(
      owedCount(mayor, null, d("2026-10-01T04:00:00Z"), d("2026-11-01T04:00:00Z"), d("2026-10-05T18:10:00Z")),
    ).toBe(0);
    expect(
      owedCount(mayor, goLive, d("2026-10-01T04:00:00Z"), d("2026-11-01T04:00:00Z"), d("2026-10-05T14:50:00Z")),
    ).toBe(0);
  });
});

describe("catch-up plan", () => {
  const now = d("2026-10-08T12:30:00Z");
  const point = (id: number, completeUntil: string | null, goLive = "2026-10-01T04:00:00Z") => ({
    id,
    rule: mayor,
    goLiveAt: d(goLive),
    completeUntil: completeUntil ? d(completeUntil) : null,
  });

  it("walks from the cursor to now + horizon, bounded per point, and moves the cursor past the last walked slot", () => {
    const [plan] = planCatchUp({
      points: [point(1, "2026-10-05T12:00:00Z")],
      now,
      horizonHours: 2,
      perPoint: CATCHUP_MAX_SLOTS_PER_POINT,
      total: 10_000,
    });
    expect(plan!.slots).toHaveLength(48);
    expect(plan!.slots[0]!.toISOString()).toBe("2026-10-05T12:00:00.000Z");
    expect(plan!.completeUntil.toISOString()).toBe("2026-10-07T12:00:00.000Z");
    const [next] = planCatchUp({
      points: [{ ...point(1, null), completeUntil: plan!.completeUntil }],
      now,
      horizonHours: 2,
      perPoint: 48,
      total: 10_000,
    });
    expect(next!.slots).toHaveLength(27); // 2026-10-07T12:00 … 2026-10-08T14:00
    expect(next!.completeUntil.toISOString()).toBe("2026-10-08T15:00:00.000Z");
    expect(
      planCatchUp({
        points: [{ ...point(1, null), completeUntil: next!.completeUntil }],
        now,
        horizonHours: 2,
        perPoint: 48,
        total: 10_000,
      }),
    ).toEqual([]);
  });

  it("starts at go-live without a cursor, or when the cursor is older than go-live", () => {
    const [a] = planCatchUp({
      points: [point(1, null, "2026-10-08T10:37:00Z")],
      now,
      horizonHours: 2,
      perPoint: 48,
      total: 100,
    });
    expect(a!.slots.map((s) => s.toISOString())).toEqual([
      "2026-10-08T11:00:00.000Z",
      "2026-10-08T12:00:00.000Z",
      "2026-10-08T13:00:00.000Z",
      "2026-10-08T14:00:00.000Z",
    ]);
    const [b] = planCatchUp({
      points: [point(1, "2026-09-01T00:00:00Z", "2026-10-08T10:37:00Z")],
      now,
      horizonHours: 2,
      perPoint: 48,
      total: 100,
    });
    expect(b!.slots[0]!.toISOString()).toBe("2026-10-08T11:00:00.000Z");
  });

  it("spends the cycle budget on the points furthest behind first", () => {
    const plans = planCatchUp({
      points: [point(1, "2026-10-08T10:00:00Z"), point(2, "2026-10-02T00:00:00Z"), point(3, "2026-10-04T00:00:00Z")],
      now,
      horizonHours: 2,
      perPoint: 48,
      total: 60,
    });
    expect(plans.map((p) => [p.id, p.slots.length])).toEqual([
      [2, 48],
      [3, 12],
    ]);
  });
});
