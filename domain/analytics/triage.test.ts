import { describe, expect, it } from "vitest";
import { isLate, triageWell } from "./triage";

const now = new Date("2026-03-10T12:00:00Z");
const ago = (min: number) => new Date(now.getTime() - min * 60_000);
const base = { now, expectedIntervalMin: 15, openAnomalies: [] };
const LABELS: Record<string, string> = { spike: "Pico anómalo", negative_flow: "Caudal negativo" };
const label = (a: { type: string }) => LABELS[a.type] ?? a.type;

describe("triageWell", () => {
  it("a punctual well without anomalies needs nothing", () => {
    const t = triageWell({ ...base, lastTs: ago(5) });
    expect(t).toEqual({ state: "reporting", conditions: [], urgency: 0 });
  });

  it("a late well in alarm shows both, lateness first, with the time of the last reading", () => {
    const t = triageWell(
      { ...base, lastTs: ago(45), openAnomalies: [{ type: "spike", severity: "warning", startedAt: ago(600) }] },
      label,
    );
    expect(t.state).toBe("alarm");
    expect(t.conditions.map((c) => c.kind)).toEqual(["delayed", "anomaly"]);
    expect(t.conditions[0]!.text).toBe("Atrasado desde 10-03-2026 08:15 (se esperaba una lectura cada 15 min)");
    expect(t.conditions[1]!.text).toBe("Alarma: Pico anómalo, abierta desde 09-03-2026 23:00");
    expect(isLate(t)).toBe(true);
  });

  it("ranks a late well above a punctual well with a warning anomaly", () => {
    const late = triageWell({ ...base, lastTs: ago(45) });
    const warned = triageWell({
      ...base,
      lastTs: ago(5),
      openAnomalies: [{ type: "spike", severity: "warning", startedAt: ago(60) }],
    });
    expect(late.urgency).toBeGreaterThan(warned.urgency);
    expect(isLate(warned)).toBe(false);
  });

  it("names the offline instant and the never-reported case", () => {
    expect(triageWell({ ...base, lastTs: ago(300) }).conditions[0]).toMatchObject({
      kind: "offline",
      text: "Sin conexión desde 10-03-2026 04:00 (última lectura)",
    });
    expect(triageWell({ ...base, lastTs: null }).conditions[0]).toMatchObject({
      kind: "never_reported",
      since: null,
    });
  });

  it("flags flow above the granted flow with es-CL numbers", () => {
    const t = triageWell({ ...base, lastTs: ago(5), flowLps: 42.25, grantedFlowLps: 40 });
    expect(t.conditions[0]!.text).toBe("Caudal 42,3 L/s sobre lo otorgado (40,0 L/s)");
  });

  it("reports DGA holes in the DGA's UTC-4 clock and says SmartHydro resolves reviews", () => {
    const t = triageWell({
      ...base,
      lastTs: ago(5),
      dga: { failed: 0, missing: 2, review: 1, firstHoleAt: new Date("2026-03-09T14:00:00Z"), firstReviewAt: ago(120) },
    });
    expect(t.conditions.map((c) => c.kind)).toEqual(["dga_missing", "dga_review"]);
    expect(t.conditions[0]!.text).toBe("DGA: 2 horas sin reporte este mes, la primera el 09-03-2026 10:00 (UTC-4)");
    expect(t.conditions[1]!.text).toContain("lo resuelve el equipo de SmartHydro");
    expect(t.conditions[1]!.owner).toBe("smarthydro");
  });

  it("by default names an anomaly by its own reason", () => {
    const t = triageWell({
      ...base,
      lastTs: ago(5),
      openAnomalies: [
        { type: "negative_flow", severity: "warning", startedAt: ago(60), reason: "Caudal negativo (-0,28 L/s)" },
      ],
    });
    expect(t.conditions[0]!.text).toBe("Alarma: Caudal negativo (-0,28 L/s), abierta desde 10-03-2026 08:00");
  });

  it("orders anomalies by severity, then by age", () => {
    const t = triageWell(
      {
        ...base,
        lastTs: ago(5),
        openAnomalies: [
          { type: "spike", severity: "warning", startedAt: ago(30) },
          { type: "negative_flow", severity: "critical", startedAt: ago(10) },
          { type: "spike", severity: "warning", startedAt: ago(90) },
        ],
      },
      label,
    );
    expect(t.conditions.map((c) => [c.anomalyType, c.since?.getTime()])).toEqual([
      ["negative_flow", ago(10).getTime()],
      ["spike", ago(90).getTime()],
      ["spike", ago(30).getTime()],
    ]);
  });
});
