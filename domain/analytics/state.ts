/**
 * A point's operational state for the portal and the API, from the age of its newest reading, its
 * open anomalies and its latest flow against the granted flow.
 *   offline   no reading, or none for max(6 × expected interval, 3 h)
 *   alarm     reporting (or late) but with an open anomaly or flow above the granted flow
 *   delayed   newest reading older than max(2 × expected interval, 20 min)
 *   reporting otherwise
 */
export type PointState = "reporting" | "delayed" | "offline" | "alarm";
export const POINT_STATES = ["reporting", "delayed", "offline", "alarm"] as const;

export interface StateInput {
  lastTs: Date | null;
  now: Date;
  expectedIntervalMin: number;
  openAnomalies: number;
  flowLps?: number | null;
  grantedFlowLps?: number | null;
}

export function delayedAfterMin(expectedIntervalMin: number): number {
  return Math.max(2 * expectedIntervalMin, 20);
}

export function offlineAfterMin(expectedIntervalMin: number): number {
  return Math.max(6 * expectedIntervalMin, 180);
}

export function pointState(i: StateInput): { state: PointState; ageSec: number | null } {
  if (!i.lastTs) return { state: "offline", ageSec: null };
  const ageSec = Math.max(0, Math.round((i.now.getTime() - i.lastTs.getTime()) / 1000));
  const ageMin = ageSec / 60;
  if (ageMin > offlineAfterMin(i.expectedIntervalMin)) return { state: "offline", ageSec };
  const overGranted =
    i.grantedFlowLps != null && i.grantedFlowLps > 0 && i.flowLps != null && i.flowLps > i.grantedFlowLps;
  if (i.openAnomalies > 0 || overGranted) return { state: "alarm", ageSec };
  if (ageMin > delayedAfterMin(i.expectedIntervalMin)) return { state: "delayed", ageSec };
  return { state: "reporting", ageSec };
}

/** Spanish labels for the states. */
export const POINT_STATE_LABEL_ES: Record<PointState, string> = {
  reporting: "Reportando",
  delayed: "Atrasado",
  offline: "Sin conexión",
  alarm: "En alarma",
};
