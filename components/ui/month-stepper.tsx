"use client";
import { monthLabelEs } from "@/domain/analytics/period";

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const shift = (month: string, d: number) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const i = y * 12 + (m - 1) + d;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
};

/** Previous / next month with the month written in Spanish (the native month input follows the browser's language). */
export function MonthStepper({ value, max, onChange }: { value: string; max: string; onChange: (m: string) => void }) {
  return (
    <div role="group" aria-label="Mes" className="row" style={{ gap: ".3rem" }}>
      <button
        type="button"
        className="secondary small"
        onClick={() => onChange(shift(value, -1))}
        aria-label="Mes anterior"
      >
        ‹
      </button>
      <strong aria-live="polite" style={{ minWidth: "11rem", textAlign: "center" }} data-testid="month-label">
        {capitalize(monthLabelEs(value))}
      </strong>
      <button
        type="button"
        className="secondary small"
        onClick={() => onChange(shift(value, 1))}
        disabled={value >= max}
        aria-label="Mes siguiente"
      >
        ›
      </button>
    </div>
  );
}
