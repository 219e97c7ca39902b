/** Traffic light of one slot, for the compliance calendar (an owed hour without a row is red: domain/dga/accounting). */
export type Light = "green" | "yellow" | "orange" | "red" | "grey";

const RANK: Record<Light, number> = { grey: 0, green: 1, yellow: 2, orange: 3, red: 4 };
const ON_TIME_MS = 3_600_000;
/** Skipped because the slot was never ours to send: before the cut-over or before go-live. */
export const NOT_OWED_REASONS: readonly string[] = ["shadow_before_cutover", "before_go_live"];

export function slotLight(s: { state: string; slotAt: Date; reasons: readonly string[] | null }, now: Date): Light {
  if (s.slotAt.getTime() > now.getTime()) return "grey";
  switch (s.state) {
    case "sent":
      return "green";
    case "failed":
      return "red";
    case "skipped":
      return (s.reasons ?? []).some((r) => NOT_OWED_REASONS.includes(r)) ? "grey" : "red";
    case "requires_review":
    case "rejected":
      return "orange";
    default:
      return now.getTime() - s.slotAt.getTime() <= ON_TIME_MS ? "yellow" : "orange";
  }
}

export function worstLight(lights: Iterable<Light>): Light {
  let worst: Light = "grey";
  for (const l of lights) if (RANK[l] > RANK[worst]) worst = l;
  return worst;
}

/** "YYYY-MM" → [start, end) as UTC instants of the UTC-4 month. */
export function monthRange(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return { year: Number(m?.[1] ?? 1970), month: Number(m?.[2] ?? 1) };
}
