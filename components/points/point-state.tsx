import { POINT_STATE_LABEL_ES, type PointState } from "@/domain/analytics/state";

/** Colours chosen to stay distinct for common colour-vision deficiencies, always paired with a text label. */
export const STATE_COLOR: Record<PointState | "unknown", string> = {
  reporting: "#2e9d46",
  delayed: "#e0a500",
  offline: "#7b8893",
  alarm: "#d2352b",
  unknown: "#3a8fd0",
};

const STATE_BADGE: Record<PointState, string> = { reporting: "ok", delayed: "warn", offline: "", alarm: "bad" };

export function stateLabel(s: PointState | null | undefined): string {
  return s ? POINT_STATE_LABEL_ES[s] : "Sin datos";
}

/**
 * The state as a badge; with `late`, a well in alarm also shows "Atrasado" so an alarm never hides
 * lateness (domain/analytics/triage).
 */
export function StateBadge({ state, late = false }: { state: PointState | null | undefined; late?: boolean }) {
  return (
    <span className="badges" data-testid="state-badge">
      <span className={`badge ${state ? STATE_BADGE[state] : ""}`}>
        <span className="dot" style={{ background: STATE_COLOR[state ?? "unknown"] }} aria-hidden="true" />
        {stateLabel(state)}
      </span>
      {late && state !== "delayed" && state !== "offline" && (
        <span className="badge warn" data-testid="late-badge">
          <span className="dot" style={{ background: STATE_COLOR.delayed }} aria-hidden="true" />
          {POINT_STATE_LABEL_ES.delayed}
        </span>
      )}
    </span>
  );
}
