import { describe, expect, it } from "vitest";
import { dayNumber } from "./calendar";
import { forecastDedupeKey, levelAlertDecision, rightAlertDecision } from "./alerts";
import { forecastRight, type RightForecast } from "./right";
import { levelTrend } from "./level";
import { MONTH, synthetic } from "./synthetic.test-helper";

const now = new Date("2026-07-01T04:00:00Z");
const history = synthetic({ levelM3: 400, month: MONTH, noise: 0.03 }, "2024-01-01", "2026-07-01");
const lastYear = history
  .filter((d) => d.day >= "2025-01-01" && d.day < "2026-01-01")
  .reduce((s, d) => s + d.volumeM3, 0);
const forecast = (right: number): RightForecast =>
  forecastRight({ now, waterYearStartMonth: 1, annualVolumeM3: right, grantedFlowLps: null, daily: history });

describe("rightAlertDecision", () => {
  it("fires when the projected exceedance is within the lead days, not before", () => {
    const f = forecast(lastYear * 0.9);
    const days = dayNumber(f.exceedance.date!) - dayNumber(f.asOfDay);
    expect(days).toBeGreaterThan(7);
    expect(rightAlertDecision(f, days - 1)).toBeNull();
    const a = rightAlertDecision(f, days)!;
    expect(a).toMatchObject({
      type: "right_forecast",
      severity: "warning",
      date: f.exceedance.date,
      episode: "wy2026-01-01",
    });
    expect(a.reason).toContain(`en ${days} días`);
  });
  it("is critical once the right is exceeded, and silent without a right or a crossing", () => {
    expect(rightAlertDecision(forecast(1000), 30)).toMatchObject({ severity: "critical", date: "2026-07-01" });
    expect(rightAlertDecision(forecast(lastYear * 3), 365)).toBeNull();
    const noRight = forecastRight({
      now,
      waterYearStartMonth: 1,
      annualVolumeM3: null,
      grantedFlowLps: null,
      daily: history,
    });
    expect(rightAlertDecision(noRight, 365)).toBeNull();
  });
  it("keys one episode per point and water year", () => {
    const a = rightAlertDecision(forecast(1000), 30)!;
    expect(forecastDedupeKey(a, 42)).toBe("right_forecast:42:wy2026-01-01");
  });
});

describe("levelAlertDecision", () => {
  const daily = Array.from({ length: 120 }, (_, i) => {
    const s = 20 + 0.05 * i;
    return { day: new Date(Date.UTC(2025, 8, 3 + i)).toISOString().slice(0, 10), minM: s, maxM: s + 4, meanM: s + 2 };
  });
  it("fires within the lead days of the projected intake date and is critical when reached", () => {
    const t = levelTrend({ daily, asOfDay: "2026-01-01", pumpIntakeDepthM: 32 });
    const days = dayNumber(t.intake.date!) - dayNumber("2026-01-01");
    expect(levelAlertDecision(t, days - 1)).toBeNull();
    expect(levelAlertDecision(t, days)).toMatchObject({
      type: "level_forecast",
      episode: "intake",
      date: t.intake.date,
    });
    const reached = levelTrend({ daily, asOfDay: "2026-01-01", pumpIntakeDepthM: 25 });
    expect(levelAlertDecision(reached, 1)).toMatchObject({ severity: "critical" });
    expect(levelAlertDecision(levelTrend({ daily, asOfDay: "2026-01-01", pumpIntakeDepthM: null }), 365)).toBeNull();
  });
});
