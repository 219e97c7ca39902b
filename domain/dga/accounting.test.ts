import { describe, expect, it } from "vitest";
import { accountSlots, addToTally, emptyTally, pctOf } from "./accounting";
import { DEFAULT_STANDARDS } from "./standards";

const d = (iso: string) => new Date(iso);
const row = (iso: string, state: string, sentAfterMin?: number, reasons: string[] = []) => ({
  slotAt: d(iso),
  state,
  reasons,
  sentAt: sentAfterMin === undefined ? null : new Date(d(iso).getTime() + sentAfterMin * 60_000),
});

describe("compliance on the standard's calendar", () => {
  const from = d("2026-10-01T04:00:00Z");
  const to = d("2026-11-01T04:00:00Z");
  const now = d("2026-10-05T18:10:00Z");
  const goLiveAt = d("2026-10-05T12:00:00Z");

  it("an owed hour without a row is missing (red), never 100 %", () => {
    const rows = [row("2026-10-05T12:00:00Z", "sent", 5), row("2026-10-05T13:00:00Z", "sent", 90)];
    const slots = accountSlots({ rule: DEFAULT_STANDARDS.mayor, goLiveAt, from, to, now, rows });
    expect(slots.map((s) => [s.slotAt.toISOString().slice(11, 16), s.state, s.light])).toEqual([
      ["12:00", "sent", "green"],
      ["13:00", "sent", "green"],
      ["14:00", "missing", "red"],
      ["15:00", "missing", "red"],
      ["16:00", "missing", "red"],
      ["17:00", "missing", "red"],
      ["18:00", "missing", "red"],
    ]);
    const t = addToTally(emptyTally(), slots);
    expect(t).toEqual({ due: 7, sent: 2, late: 1, failed: 0, review: 0, pending: 0, skipped: 0, missing: 5 });
    expect(pctOf(t.sent, t.due)).toBe(28.6);
  });

  it("rows before go-live or in the future are shown but not owed", () => {
    const rows = [
      row("2026-10-05T10:00:00Z", "skipped", undefined, ["shadow_before_cutover"]),
      row("2026-10-05T11:00:00Z", "pending"),
      row("2026-10-05T18:00:00Z", "pending"),
      row("2026-10-05T19:00:00Z", "empty"),
    ];
    const slots = accountSlots({
      rule: DEFAULT_STANDARDS.mayor,
      goLiveAt: d("2026-10-05T17:30:00Z"),
      from,
      to,
      now,
      rows,
    });
    expect(slots.map((s) => [s.slotAt.toISOString().slice(11, 16), s.owed, s.light])).toEqual([
      ["10:00", false, "grey"],
      ["11:00", false, "grey"],
      ["18:00", true, "yellow"],
      ["19:00", false, "grey"],
    ]);
    expect(addToTally(emptyTally(), slots)).toMatchObject({ due: 1, pending: 1, missing: 0 });
    expect(
      accountSlots({ rule: DEFAULT_STANDARDS.mayor, goLiveAt: null, from, to, now, rows }).every((s) => !s.owed),
    ).toBe(true);
  });

  it("due = sent + failed + review + pending + skipped + missing", () => {
    const rows = [
      row("2026-10-05T12:00:00Z", "failed"),
      row("2026-10-05T13:00:00Z", "requires_review"),
      row("2026-10-05T14:00:00Z", "skipped", undefined, ["no_data_written_off"]),
      row("2026-10-05T15:00:00Z", "rejected"),
      row("2026-10-05T16:00:00Z", "sending"),
    ];
    const t = addToTally(emptyTally(), accountSlots({ rule: DEFAULT_STANDARDS.mayor, goLiveAt, from, to, now, rows }));
    expect(t).toEqual({ due: 7, sent: 0, late: 0, failed: 1, review: 1, pending: 2, skipped: 1, missing: 2 });
    expect(pctOf(0, 0)).toBeNull();
  });
});
