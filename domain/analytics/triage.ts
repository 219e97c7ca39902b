import { formatDateTime, formatDgaDateTime, formatNumber } from "@/domain/format";
import { delayedAfterMin, offlineAfterMin, pointState, type PointState } from "./state";

/**
 * Why a well needs attention, in words: every condition that holds at once (a late well in alarm shows
 * both), each with the instant it started and a severity, so lists can rank wells without a worse state
 * hiding lateness.
 */
type ConditionKind =
  "never_reported" | "offline" | "delayed" | "over_granted" | "anomaly" | "dga_failed" | "dga_missing" | "dga_review";

type ConditionSeverity = "critical" | "warning" | "info";

interface Condition {
  kind: ConditionKind;
  severity: ConditionSeverity;
  since: Date | null;
  /** Spanish sentence for the portal: what is wrong and since when. */
  text: string;
  /** Who acts: the client's own team or SmartHydro staff (DGA review). */
  owner: "client" | "smarthydro";
  anomalyType?: string;
}

export interface OpenAnomaly {
  type: string;
  severity: "info" | "warning" | "critical";
  startedAt: Date;
  /** The anomaly's own sentence (server/anomalies), e.g. the value that tripped it. */
  reason?: string | null;
}

/** The point's DGA month so far: owed hours in trouble (slot instants, UTC). */
export interface DgaTrouble {
  failed: number;
  missing: number;
  review: number;
  /** The oldest owed hour that is failed or missing. */
  firstHoleAt: Date | null;
  firstReviewAt: Date | null;
}

export interface TriageInput {
  now: Date;
  lastTs: Date | null;
  expectedIntervalMin: number;
  openAnomalies: readonly OpenAnomaly[];
  flowLps?: number | null;
  grantedFlowLps?: number | null;
  dga?: DgaTrouble | null;
}

export interface WellTriage {
  state: PointState;
  /** Most severe first; empty when nothing needs attention. */
  conditions: Condition[];
  /** Higher = more urgent (0 = nothing to do); orders the action list. */
  urgency: number;
}

// Silence outranks an alarm (an alarm on stale data says little), and lateness always outranks an
// open warning so a late well in alarm is never listed below a punctual one. A well that never reported
// is usually not installed yet: above lateness, below a well that went silent.
const WEIGHT: Record<ConditionKind, number> = {
  offline: 90,
  dga_failed: 85,
  dga_missing: 80,
  over_granted: 75,
  never_reported: 65,
  delayed: 60,
  dga_review: 50,
  anomaly: 40,
};
const ANOMALY_WEIGHT: Record<OpenAnomaly["severity"], number> = { critical: 70, warning: 40, info: 10 };

const since = (d: Date) => formatDateTime(d);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function weight(c: Condition): number {
  if (c.kind === "anomaly") return ANOMALY_WEIGHT[c.severity];
  return WEIGHT[c.kind];
}

const byReason = (a: OpenAnomaly) => a.reason?.trim() || a.type;

/** Decides a well's conditions and urgency; `describe` names an open anomaly (default: its own reason). */
export function triageWell(i: TriageInput, describe: (a: OpenAnomaly) => string = byReason): WellTriage {
  const { state } = pointState({
    lastTs: i.lastTs,
    now: i.now,
    expectedIntervalMin: i.expectedIntervalMin,
    openAnomalies: i.openAnomalies.length,
    flowLps: i.flowLps,
    grantedFlowLps: i.grantedFlowLps,
  });
  const out: Condition[] = [];
  const add = (c: Omit<Condition, "owner"> & { owner?: Condition["owner"] }) => out.push({ owner: "client", ...c });
  if (!i.lastTs) {
    add({ kind: "never_reported", severity: "critical", since: null, text: "Nunca ha enviado lecturas" });
  } else {
    const ageMin = (i.now.getTime() - i.lastTs.getTime()) / 60_000;
    if (ageMin > offlineAfterMin(i.expectedIntervalMin))
      add({
        kind: "offline",
        severity: "critical",
        since: i.lastTs,
        text: `Sin conexión desde ${since(i.lastTs)} (última lectura)`,
      });
    else if (ageMin > delayedAfterMin(i.expectedIntervalMin))
      add({
        kind: "delayed",
        severity: "warning",
        since: i.lastTs,
        text: `Atrasado desde ${since(i.lastTs)} (se esperaba una lectura cada ${i.expectedIntervalMin} min)`,
      });
  }
  const granted = i.grantedFlowLps;
  if (granted != null && granted > 0 && i.flowLps != null && i.flowLps > granted)
    add({
      kind: "over_granted",
      severity: "critical",
      since: i.lastTs,
      text: `Caudal ${formatNumber(i.flowLps, 1)} L/s sobre lo otorgado (${formatNumber(granted, 1)} L/s)`,
    });
  for (const a of i.openAnomalies)
    add({
      kind: "anomaly",
      severity: a.severity,
      since: a.startedAt,
      anomalyType: a.type,
      text: `Alarma: ${describe(a)}, abierta desde ${since(a.startedAt)}`,
    });
  const d = i.dga;
  if (d && d.failed > 0)
    add({
      kind: "dga_failed",
      severity: "critical",
      since: d.firstHoleAt,
      owner: "smarthydro",
      text: `DGA: ${plural(d.failed, "reporte fallido", "reportes fallidos")} este mes`,
    });
  if (d && d.missing > 0)
    add({
      kind: "dga_missing",
      severity: "critical",
      since: d.firstHoleAt,
      owner: "smarthydro",
      text: `DGA: ${plural(d.missing, "hora sin reporte", "horas sin reporte")} este mes${
        d.firstHoleAt ? `, la primera el ${formatDgaDateTime(d.firstHoleAt)}` : ""
      }`,
    });
  if (d && d.review > 0)
    add({
      kind: "dga_review",
      severity: "warning",
      since: d.firstReviewAt,
      owner: "smarthydro",
      text: `DGA: ${plural(d.review, "reporte en revisión", "reportes en revisión")} (lo resuelve el equipo de SmartHydro)`,
    });
  const ranked = out
    .map((c) => ({ c, w: weight(c) }))
    .sort((a, b) => b.w - a.w || (a.c.since?.getTime() ?? 0) - (b.c.since?.getTime() ?? 0));
  return { state, conditions: ranked.map((r) => r.c), urgency: ranked[0]?.w ?? 0 };
}

/** Whether the well is late or silent, whatever its alarm state (filters by "Atrasado" use this). */
export function isLate(t: WellTriage): boolean {
  return t.conditions.some((c) => c.kind === "delayed" || c.kind === "offline" || c.kind === "never_reported");
}
