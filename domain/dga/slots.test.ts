import { describe, expect, it } from "vitest";
import { DEFAULT_STANDARDS } from "./standards";
import { dueSlots, floorToSlot, matchesSlot, nextSlot, slotsToCreate, snapToMinute } from "./slots";
import { toDgaDateTime } from "./time";

const d = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((x) => x.toISOString());

describe("slot boundaries", () => {
  it("mayor: every HH:00 UTC-4, 49 slots over two days spanning the April DST change", () => {
    const slots = dueSlots({
      rule: DEFAULT_STANDARDS.mayor,
      from: d("2026-04-04T00:00:00Z"),
      to: d("2026-04-06T00:00:00Z"),
    });
    expect(slots).toHaveLength(49);
    slots.forEach((s, i) => i > 0 && expect(s.getTime() - slots[i - 1]!.getTime()).toBe(3_600_000));
  });

  it("medio: 00:00 UTC-4 = 04:00Z every day, also across the September DST change", () => {
    const slots = dueSlots({
      rule: DEFAULT_STANDARDS.medio,
      from: d("2026-09-04T10:00:00Z"),
      to: d("2026-09-08T04:00:00Z"),
    });
    expect(iso(slots)).toEqual([
      "2026-09-05T04:00:00.000Z",
      "2026-09-06T04:00:00.000Z",
      "2026-09-07T04:00:00.000Z",
      "2026-09-08T04:00:00.000Z",
    ]);
  });

  it("menor: day 1 at 00:00 UTC-4", () => {
    const slots = dueSlots({
      rule: DEFAULT_STANDARDS.menor,
      from: d("2026-11-15T00:00:00Z"),
      to: d("2027-02-01T04:00:00Z"),
    });
    expect(iso(slots)).toEqual(["2026-12-01T04:00:00.000Z", "2027-01-01T04:00:00.000Z", "2027-02-01T04:00:00.000Z"]);
  });

  it("muy_pequenos: Jan 1 and Jul 1 only", () => {
    const slots = dueSlots({
      rule: DEFAULT_STANDARDS.muy_pequenos,
      from: d("2026-03-01T00:00:00Z"),
      to: d("2028-01-01T00:00:00Z"),
    });
    expect(slots.map((s) => toDgaDateTime(s).fecha)).toEqual(["2026-07-01", "2027-01-01", "2027-07-01"]);
    expect(floorToSlot(DEFAULT_STANDARDS.muy_pequenos, d("2026-06-30T12:00:00Z")).toISOString()).toBe(
      "2026-01-01T04:00:00.000Z",
    );
    expect(nextSlot(DEFAULT_STANDARDS.muy_pequenos, d("2026-07-01T04:00:00Z")).toISOString()).toBe(
      "2027-01-01T04:00:00.000Z",
    );
  });

  it("includes both ends of [from, to] when they are boundaries", () => {
    const slots = dueSlots({
      rule: DEFAULT_STANDARDS.mayor,
      from: d("2026-06-09T14:00:00Z"),
      to: d("2026-06-09T16:00:00Z"),
    });
    expect(slots).toHaveLength(3);
    expect(
      dueSlots({ rule: DEFAULT_STANDARDS.mayor, from: d("2026-06-09T14:00:01Z"), to: d("2026-06-09T14:59:59Z") }),
    ).toEqual([]);
  });

  it("floors a UTC-4 day correctly between 00:00Z and 04:00Z", () => {
    expect(floorToSlot(DEFAULT_STANDARDS.medio, d("2026-06-10T03:59:59Z")).toISOString()).toBe(
      "2026-06-09T04:00:00.000Z",
    );
  });
});

describe("slotsToCreate", () => {
  const now = d("2026-06-09T14:20:00Z");
  it("creates the current slot and those up to the horizon", () => {
    const slots = slotsToCreate({ standard: "mayor", dgaTransport: "live" }, now, 3);
    expect(slots.map((s) => s.slotAt.toISOString())).toEqual([
      "2026-06-09T14:00:00.000Z",
      "2026-06-09T15:00:00.000Z",
      "2026-06-09T16:00:00.000Z",
      "2026-06-09T17:00:00.000Z",
    ]);
    expect(slots.every((s) => s.standard === "mayor")).toBe(true);
  });
  it("creates slots in shadow mode but none when transport is off", () => {
    expect(slotsToCreate({ standard: "medio", dgaTransport: "shadow" }, now, 24)).toHaveLength(2);
    expect(slotsToCreate({ standard: "mayor", dgaTransport: "off" }, now, 24)).toEqual([]);
  });
});

describe("exact slot matching", () => {
  const slot = d("2026-06-09T14:00:00Z");
  it("matches readings in the slot's minute, seconds snapped", () => {
    expect(snapToMinute(d("2026-06-09T14:00:37.500Z")).toISOString()).toBe("2026-06-09T14:00:00.000Z");
    expect(matchesSlot(d("2026-06-09T14:00:00Z"), slot)).toBe(true);
    expect(matchesSlot(d("2026-06-09T14:00:59.999Z"), slot)).toBe(true);
  });
  it("never matches a neighbouring minute", () => {
    expect(matchesSlot(d("2026-06-09T13:59:59Z"), slot)).toBe(false);
    expect(matchesSlot(d("2026-06-09T14:01:00Z"), slot)).toBe(false);
  });
});
