import { z } from "zod";

/** A declared totalizer replacement (staff action): from `at` the new meter counts from newInitialM3. */
export interface MeterChange {
  at: Date;
  /** Last reading of the old meter (m3), when known; otherwise the last stored reading before `at` is taken as final. */
  oldFinalM3: number | null;
  newInitialM3: number;
}

export const MeterChangeInputSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  oldFinalM3: z.number().finite().nonnegative().nullable().default(null),
  newInitialM3: z.number().finite().nonnegative(),
  note: z.string().trim().max(500).optional(),
});

/** The change declared in (afterMs, atOrBeforeMs], if any (the first one when several). */
export function meterChangeBetween(
  changes: readonly MeterChange[] | undefined,
  afterMs: number,
  atOrBeforeMs: number,
): MeterChange | null {
  if (!changes?.length) return null;
  let best: MeterChange | null = null;
  for (const c of changes) {
    const t = c.at.getTime();
    if (t > afterMs && t <= atOrBeforeMs && (!best || t < best.at.getTime())) best = c;
  }
  return best;
}

/** Volume (m3) across a declared change: old meter up to its final reading, plus the new one from its initial reading. */
export function volumeAcrossChange(change: MeterChange, beforeM3: number, afterM3: number): number {
  const oldPart = change.oldFinalM3 === null ? 0 : Math.max(0, change.oldFinalM3 - beforeM3);
  return oldPart + Math.max(0, afterM3 - change.newInitialM3);
}

/**
 * Readings needed to confirm an undeclared reset or rollover, from the reporting interval: about half an
 * hour of data, at least 3 readings and at most 10. A 10-minute logger confirms after 3 readings instead
 * of 10 (the issue-15 case where a replaced meter's volume was missing for 90 minutes).
 */
export function defaultResetConfirmSamples(reportingIntervalMs: number | null): number {
  if (!reportingIntervalMs || !(reportingIntervalMs > 0)) return 10;
  return Math.min(10, Math.max(3, Math.round((30 * 60_000) / reportingIntervalMs)));
}
