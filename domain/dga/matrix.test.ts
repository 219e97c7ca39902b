import { describe, expect, it } from "vitest";
import { dayCell, slotCell, worstCell } from "./matrix";

const now = new Date("2026-03-10T16:30:00Z"); // 12:30 on the DGA clock
const h = (hoursAgo: number) => new Date(Date.UTC(2026, 2, 10, 16) - hoursAgo * 3_600_000);

describe("slotCell", () => {
  it("tells sent on time from sent late", () => {
    expect(slotCell({ slotAt: h(3), owed: true, state: "sent", sentAt: new Date(h(3).getTime() + 60_000) }, now)).toBe(
      "sent",
    );
    expect(
      slotCell({ slotAt: h(3), owed: true, state: "sent", sentAt: new Date(h(3).getTime() + 2 * 3_600_000) }, now),
    ).toBe("late");
  });

  it("a pending hour is pending within its hour and late after", () => {
    expect(slotCell({ slotAt: h(0), owed: true, state: "pending" }, now)).toBe("pending");
    expect(slotCell({ slotAt: h(2), owed: true, state: "pending" }, now)).toBe("late");
  });

  it("keeps not owed, future, missing, review and failed apart", () => {
    expect(slotCell({ slotAt: h(5), owed: false, state: "skipped" }, now)).toBe("not_owed");
    expect(slotCell({ slotAt: h(-2), owed: false, state: "empty" }, now)).toBe("future");
    expect(slotCell({ slotAt: h(5), owed: true, state: "missing" }, now)).toBe("missing");
    expect(slotCell({ slotAt: h(5), owed: true, state: "requires_review" }, now)).toBe("review");
    expect(slotCell({ slotAt: h(5), owed: true, state: "rejected" }, now)).toBe("failed");
    expect(slotCell({ slotAt: h(5), owed: true, state: "skipped", reasons: ["before_go_live"] }, now)).toBe("not_owed");
    expect(slotCell({ slotAt: h(5), owed: true, state: "skipped", reasons: ["no_data_written_off"] }, now)).toBe(
      "missing",
    );
  });
});

describe("dayCell", () => {
  it("shows the worst hour of the day", () => {
    expect(worstCell(["sent", "late", "review", "sent"])).toBe("review");
    expect(dayCell("2026-03-09", ["sent", "missing", "review"], now)).toBe("missing");
  });

  it("an empty day is future when it has not started on the DGA clock, otherwise not owed", () => {
    expect(dayCell("2026-03-11", [], now)).toBe("future");
    expect(dayCell("2026-03-10", [], now)).toBe("not_owed");
    expect(dayCell("2026-03-01", [], now)).toBe("not_owed");
    // 2026-03-11 00:00 UTC-4 = 04:00 UTC: still the 10th on the DGA clock at 03:59 UTC.
    expect(dayCell("2026-03-11", [], new Date("2026-03-11T03:59:00Z"))).toBe("future");
  });
});
