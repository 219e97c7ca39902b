import { formatNumber } from "@/domain/format";

/** A labelled progress bar (value of max); turns amber at 90 % and red above 100 %. */
/** With `higherIsBetter` (compliance) the colours invert: amber below 90 %, red below 70 %. */
export function Progress({
  label,
  value,
  max,
  unit,
  higherIsBetter = false,
}: {
  label: string;
  value: number | null | undefined;
  max: number | null | undefined;
  unit: string;
  higherIsBetter?: boolean;
}) {
  const pct = value != null && max ? (value / max) * 100 : null;
  const tone =
    pct == null
      ? ""
      : higherIsBetter
        ? pct < 70
          ? "bad"
          : pct < 90
            ? "warn"
            : ""
        : pct > 100
          ? "bad"
          : pct >= 90
            ? "warn"
            : "";
  return (
    <div>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span>{label}</span>
        <span className="small mono">
          {formatNumber(value, 0)} / {max ? formatNumber(max, 0) : "—"} {unit}
          {pct != null ? ` (${formatNumber(pct, 0)} %)` : ""}
        </span>
      </div>
      <div
        className={`progress ${tone}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct == null ? undefined : Math.round(Math.min(pct, 100))}
        aria-valuetext={pct == null ? "sin volumen otorgado" : `${formatNumber(pct, 0)} %`}
      >
        <span style={{ width: `${Math.min(pct ?? 0, 100)}%` }} />
      </div>
    </div>
  );
}
