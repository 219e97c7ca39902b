import { NOT_OWED_REASONS } from "./calendar";
import { fromDgaWallClock } from "./time";

/**
 * One cell of the per-well monthly compliance matrix (wells × UTC-4 days, hours on drill-down). Each
 * state is distinct: "not owed" (before go-live, shadow, nothing scheduled) is never confused with
 * "future", and a report sent after its hour is "late", not "sent".
 */
export type CellState = "failed" | "missing" | "review" | "late" | "pending" | "sent" | "not_owed" | "future";

/** Worst first: a day shows its worst hour. */
const RANK: Record<CellState, number> = {
  failed: 7,
  missing: 6,
  review: 5,
  late: 4,
  pending: 3,
  sent: 2,
  not_owed: 1,
  future: 0,
};

/** The DGA deadline: an hour's report is on time when sent within the following hour (docs/DGA.md). */
const ON_TIME_MS = 3_600_000;

export interface MatrixSlot {
  slotAt: Date;
  owed: boolean;
  /** Row state, or "missing" for an owed hour without a row (domain/dga/accounting). */
  state: string;
  reasons?: readonly string[] | null;
  sentAt?: Date | null;
}

export function slotCell(s: MatrixSlot, now: Date): CellState {
  if (s.slotAt.getTime() > now.getTime()) return "future";
  if (!s.owed) return "not_owed";
  switch (s.state) {
    case "sent":
      return s.sentAt && s.sentAt.getTime() > s.slotAt.getTime() + ON_TIME_MS ? "late" : "sent";
    case "failed":
    case "rejected":
      return "failed";
    case "skipped":
      return (s.reasons ?? []).some((r) => NOT_OWED_REASONS.includes(r)) ? "not_owed" : "missing";
    case "missing":
      return "missing";
    case "requires_review":
      return "review";
    default:
      return now.getTime() - s.slotAt.getTime() <= ON_TIME_MS ? "pending" : "late";
  }
}

export function worstCell(cells: Iterable<CellState>): CellState | null {
  let worst: CellState | null = null;
  for (const c of cells) if (worst == null || RANK[c] > RANK[worst]) worst = c;
  return worst;
}

/**
 * The state of a UTC-4 day ("YYYY-MM-DD") for one well: its worst hour, or, with no hour in the
 * calendar, "future" when the day has not started and "not_owed" otherwise.
 */
export function dayCell(day: string, cells: readonly CellState[], now: Date): CellState {
  const w = worstCell(cells);
  if (w) return w;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return fromDgaWallClock({ year: y, month: m, day: d }).getTime() > now.getTime() ? "future" : "not_owed";
}

/** Spanish legend of the matrix, in the order shown. */
export const CELL_LABEL_ES: Record<CellState, string> = {
  sent: "Enviado a tiempo",
  late: "Atrasado (enviado o pendiente fuera de plazo)",
  pending: "Pendiente (dentro de plazo)",
  review: "En revisión",
  failed: "Fallido o rechazado",
  missing: "Faltante (sin reporte)",
  not_owed: "Sin obligación",
  future: "Futuro",
};

/** Short Spanish word for a cell (tooltips, screen readers). */
export const CELL_SHORT_ES: Record<CellState, string> = {
  sent: "enviado",
  late: "atrasado",
  pending: "pendiente",
  review: "en revisión",
  failed: "fallido",
  missing: "faltante",
  not_owed: "sin obligación",
  future: "futuro",
};
