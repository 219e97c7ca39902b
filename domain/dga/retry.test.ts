import { describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import {
  afterAttempt,
  assertTransition,
  canTransition,
  isBacklog,
  nextAttemptAt,
  planBacklog,
  sendOrder,
  SLOT_STATES,
  SLOT_TRANSITIONS,
} from "./retry";

const now = new Date("2026-06-09T23:30:00Z"); // 19:30 UTC-4

describe("nextAttemptAt", () => {
  it("is the next DGA day at 10:00 UTC-4", () => {
    expect(nextAttemptAt(now, 1)?.toISOString()).toBe("2026-06-10T14:00:00.000Z");
    // 02:00Z is still the previous DGA day (22:00 UTC-4)
    expect(nextAttemptAt(new Date("2026-06-10T02:00:00Z"), 1)?.toISOString()).toBe("2026-06-10T14:00:00.000Z");
    expect(
      nextAttemptAt(new Date("2026-12-31T23:00:00Z"), 2, {
        maxAttempts: 7,
        retryHourUtc4: 6,
        retryMinuteUtc4: 30,
      })?.toISOString(),
    ).toBe("2027-01-01T10:30:00.000Z");
  });
  it("stops after maxAttempts", () => {
    expect(nextAttemptAt(now, 6)).not.toBeNull();
    expect(nextAttemptAt(now, 7)).toBeNull();
  });
});

describe("afterAttempt", () => {
  const ctx = { attempts: 1, now };
  it("maps each outcome to a state", () => {
    expect(afterAttempt({ kind: "sent", receipt: "R1", message: "" }, ctx)).toMatchObject({
      state: "sent",
      receipt: "R1",
      nextAttemptAt: null,
    });
    expect(afterAttempt({ kind: "duplicate", receipt: "R2", message: "" }, ctx)).toMatchObject({
      state: "sent",
      receipt: "R2",
      reason: "duplicate_receipt",
    });
    expect(afterAttempt({ kind: "duplicate", receipt: null, message: "" }, ctx)).toMatchObject({
      state: "requires_review",
      nextAttemptAt: null,
    });
    expect(afterAttempt({ kind: "sent_no_receipt", message: "" }, ctx)).toMatchObject({
      state: "requires_review",
      nextAttemptAt: null,
    });
    expect(afterAttempt({ kind: "wrong_informante", message: "" }, ctx)).toMatchObject({
      state: "failed",
      alert: true,
      nextAttemptAt: null,
    });
    expect(afterAttempt({ kind: "rejected", message: "x", httpStatus: 400 }, ctx)).toMatchObject({
      state: "rejected",
      nextAttemptAt: new Date("2026-06-10T14:00:00Z"),
    });
    expect(afterAttempt({ kind: "unknown", reason: "no_response", httpStatus: null, message: "" }, ctx)).toMatchObject({
      state: "pending",
      nextAttemptAt: new Date("2026-06-10T14:00:00Z"),
    });
  });
  it("fails with an alert once attempts are exhausted", () => {
    expect(afterAttempt({ kind: "rejected", message: "x", httpStatus: 400 }, { attempts: 7, now })).toMatchObject({
      state: "failed",
      alert: true,
      reason: "rejected:attempts_exhausted",
    });
  });
  it("every resulting state is reachable from sending", () => {
    for (const outcome of [
      { kind: "sent", receipt: "R", message: "" },
      { kind: "wrong_informante", message: "" },
      { kind: "unknown", reason: "no_response", httpStatus: null, message: "" },
    ] as const) {
      expect(canTransition("sending", afterAttempt(outcome, ctx).state)).toBe(true);
    }
  });
});

describe("state machine", () => {
  it("covers every state and never leaves sent", () => {
    expect(Object.keys(SLOT_TRANSITIONS).sort()).toEqual([...SLOT_STATES].sort());
    for (const to of SLOT_STATES) expect(canTransition("sent", to)).toBe(false);
  });
  it("allows the normal path and rejects shortcuts", () => {
    expect(() => {
      assertTransition("empty", "pending");
      assertTransition("pending", "sending");
      assertTransition("sending", "sent");
    }).not.toThrow();
    expect(() => assertTransition("pending", "sent")).toThrow(AppError);
    expect(() => assertTransition("empty", "sending")).toThrow(/empty → sending/);
    expect(() => assertTransition("requires_review", "sending")).toThrow(AppError);
  });
});

describe("backlog pacing (§6.1)", () => {
  const hour = (h: number) => new Date(Date.UTC(2026, 5, 9, h));
  it("is a backlog with 2+ slots spanning 2 h or more", () => {
    expect(isBacklog({ pendingSlotAts: [hour(10)], now: hour(14) })).toBe(false);
    expect(isBacklog({ pendingSlotAts: [hour(11), hour(12)], now: new Date(hour(13).getTime() - 1) })).toBe(false);
    expect(isBacklog({ pendingSlotAts: [hour(12), hour(11)], now: hour(13) })).toBe(true);
  });
  it("spaces sends ≥ 5 min, oldest first, after the last send", () => {
    const slots = [
      { id: 3, slotAt: hour(12) },
      { id: 1, slotAt: hour(10) },
      { id: 2, slotAt: hour(11) },
    ];
    const plan = planBacklog({ slots, now: hour(13), lastSentAt: new Date(hour(13).getTime() - 60_000) });
    expect(plan.map((p) => p.slot.id)).toEqual([1, 2, 3]);
    expect(plan.map((p) => p.sendAt.toISOString())).toEqual([
      "2026-06-09T13:04:00.000Z",
      "2026-06-09T13:09:00.000Z",
      "2026-06-09T13:14:00.000Z",
    ]);
    expect(planBacklog({ slots, now: hour(13), spacingMin: 10 })[2]?.sendAt.toISOString()).toBe(
      "2026-06-09T13:20:00.000Z",
    );
  });
});

describe("live hours first (§3 within 1 h, §6.1 backlog after)", () => {
  it("sends the slot still inside its hour before the backlog, then the backlog oldest first", () => {
    const at = (h: number, m = 0) => new Date(Date.UTC(2026, 9, 8, h, m));
    const slots = [
      { id: "old", slotAt: at(9) },
      { id: "live", slotAt: at(14) },
      { id: "older", slotAt: at(8) },
      { id: "last-hour", slotAt: at(13) },
    ];
    expect(sendOrder(slots, at(14, 20)).map((s) => s.id)).toEqual(["live", "older", "old", "last-hour"]);
    expect(
      planBacklog({ slots, now: at(14, 20) }).map((p) => [p.slot.id, p.sendAt.toISOString().slice(11, 16)]),
    ).toEqual([
      ["live", "14:20"],
      ["older", "14:25"],
      ["old", "14:30"],
      ["last-hour", "14:35"],
    ]);
  });
});
