import { AppError } from "@/domain/errors";
import type { DgaOutcome } from "./response";
import { fromDgaWallClock, toDgaWallClock } from "./time";

export interface RetryPolicy {
  /** Attempts (the first send included) before the slot fails for a human. */
  maxAttempts: number;
  /** Clock time (UTC-4) of the next-day resend. */
  retryHourUtc4: number;
  retryMinuteUtc4: number;
}

/** §6.2: after a non-"00" answer or no answer, resend once the next day; capped so a human steps in. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 7, retryHourUtc4: 10, retryMinuteUtc4: 0 };

/** Next resend: the following DGA calendar day at the policy's hour; null once attempts are exhausted. */
export function nextAttemptAt(now: Date, attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const w = toDgaWallClock(now);
  return fromDgaWallClock({
    year: w.year,
    month: w.month,
    day: w.day + 1,
    hour: policy.retryHourUtc4,
    minute: policy.retryMinuteUtc4,
  });
}

export const SLOT_STATES = [
  "empty",
  "pending",
  "requires_review",
  "sending",
  "sent",
  "rejected",
  "failed",
  "skipped",
] as const;
export type SlotState = (typeof SLOT_STATES)[number];

export interface AttemptResult {
  state: Extract<SlotState, "sent" | "requires_review" | "pending" | "rejected" | "failed">;
  receipt: string | null;
  nextAttemptAt: Date | null;
  reason: string | null;
  /** A human must be told now (not just in the review queue). */
  alert: boolean;
}

/**
 * Slot state after one POST. A timeout may have been stored, so it is retried next day like a
 * rejection: the duplicate answer then carries the receipt, and a duplicate is always final.
 */
export function afterAttempt(
  outcome: DgaOutcome,
  ctx: { attempts: number; now: Date; policy?: RetryPolicy },
): AttemptResult {
  const done = (
    state: AttemptResult["state"],
    receipt: string | null,
    reason: string | null,
    alert = false,
  ): AttemptResult => ({
    state,
    receipt,
    nextAttemptAt: null,
    reason,
    alert,
  });
  switch (outcome.kind) {
    case "sent":
      return done("sent", outcome.receipt, null);
    case "duplicate":
      return outcome.receipt
        ? done("sent", outcome.receipt, "duplicate_receipt")
        : done("requires_review", null, "duplicate_no_receipt");
    case "sent_no_receipt":
      return done("requires_review", null, "sent_no_receipt");
    case "wrong_informante":
      return done("failed", null, "wrong_informante", true);
    case "rejected":
    case "unknown": {
      const reason = outcome.kind === "rejected" ? "rejected" : `outcome_unknown:${outcome.reason}`;
      const next = nextAttemptAt(ctx.now, ctx.attempts, ctx.policy);
      if (!next) return done("failed", null, `${reason}:attempts_exhausted`, true);
      return {
        state: outcome.kind === "rejected" ? "rejected" : "pending",
        receipt: null,
        nextAttemptAt: next,
        reason,
        alert: false,
      };
    }
  }
}

/** Allowed slot transitions. sent is final: MEE must never get the same measurement twice (§6.3). */
export const SLOT_TRANSITIONS: Readonly<Record<SlotState, readonly SlotState[]>> = {
  empty: ["pending", "requires_review", "skipped"],
  pending: ["sending", "requires_review", "skipped"],
  requires_review: ["pending", "sent", "skipped"],
  sending: ["sent", "pending", "rejected", "requires_review", "failed"],
  rejected: ["sending", "requires_review", "failed", "skipped"],
  failed: ["pending", "requires_review", "skipped"],
  skipped: ["requires_review"],
  sent: [],
};

export function canTransition(from: SlotState, to: SlotState): boolean {
  return SLOT_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: SlotState, to: SlotState): void {
  if (!canTransition(from, to))
    throw new AppError("CONFLICT", `slot transition ${from} → ${to} is not allowed`, { details: { from, to } });
}

export const BACKLOG_SPACING_MIN = 5;
const BACKLOG_THRESHOLD_HOURS = 2;

/** §6.1: two or more pending slots of one obra spanning 2 h or more must be sent one by one, spaced. */
export function isBacklog(input: { pendingSlotAts: readonly Date[]; now: Date; thresholdHours?: number }): boolean {
  if (input.pendingSlotAts.length < 2) return false;
  const oldestMs = Math.min(...input.pendingSlotAts.map((d) => d.getTime()));
  return input.now.getTime() - oldestMs >= (input.thresholdHours ?? BACKLOG_THRESHOLD_HOURS) * 3_600_000;
}

/** §3: a measurement is sent within 1 h; slots still inside that hour are "live". */
const LIVE_WINDOW_MS = 3_600_000;

/**
 * Send order of one obra's due slots: live slots first (the hour a catch-up must never make late),
 * newest first, then the backlog oldest first (closest to the write-off and §6.3 lag).
 */
export function sendOrder<T extends { slotAt: Date }>(slots: readonly T[], now: Date): T[] {
  const isLive = (s: T) => now.getTime() - s.slotAt.getTime() < LIVE_WINDOW_MS;
  const live = slots.filter(isLive).sort((a, b) => b.slotAt.getTime() - a.slotAt.getTime());
  const backlog = slots.filter((s) => !isLive(s)).sort((a, b) => a.slotAt.getTime() - b.slotAt.getTime());
  return [...live, ...backlog];
}

/** Send times for one obra's slots (live first, then oldest first), each ≥ spacing after the previous send. */
export function planBacklog<T extends { slotAt: Date }>(input: {
  slots: readonly T[];
  now: Date;
  spacingMin?: number;
  lastSentAt?: Date | null;
}): { slot: T; sendAt: Date }[] {
  const spacingMs = (input.spacingMin ?? BACKLOG_SPACING_MIN) * 60_000;
  const earliest = input.lastSentAt ? input.lastSentAt.getTime() + spacingMs : input.now.getTime();
  let at = Math.max(input.now.getTime(), earliest);
  return sendOrder(input.slots, input.now).map((slot, i) => {
    if (i > 0) at += spacingMs;
    return { slot, sendAt: new Date(at) };
  });
}
