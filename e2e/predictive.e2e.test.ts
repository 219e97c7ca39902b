import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import pg from "pg";
import { DEMO_USERS } from "@/server/seed/demo";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { ensureMonthPartitions } from "@/server/timeseries/partitions";
import { loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures, type Fixtures } from "./fixtures";

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let w: ReturnType<typeof watchPage>;
let fx: Fixtures;
const manager = DEMO_USERS.find((u) => u.email === "gestor@agricolaandes.cl")!;
const H = 3_600_000;

/**
 * 120 days of hourly history before the shared fixture's 48 h for the first Agrícola point: pumping 06–20 h at
 * ~20 L/s (totalizer continuous with the fixture's), and a level around 14 m with four 45-minute dips below 12 m
 * in the last 30 days (what "nivel < 12 m durante 30 min" would have caught), and a water table deepening slowly.
 */
async function seedHistory(pointId: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2 });
  try {
    if ((await pool.query(`SELECT 1 FROM measurement WHERE source = 'e2e-history' LIMIT 1`)).rowCount) return;
    const first = await pool.query<{ ts: Date }>(
      `SELECT min(ts) AS ts FROM measurement WHERE point_id = $1 AND source = 'e2e'`,
      [pointId],
    );
    const end = first.rows[0]!.ts.getTime() - 15 * 60_000;
    const start = Math.floor((end - 120 * 24 * H) / H) * H;
    await ensureMonthPartitions(pool, "measurement", [new Date(start), new Date(end)]);
    const dips = [25, 19, 11, 5].map((d) => end - d * 24 * H + 10 * H);
    const rows: unknown[][] = [];
    const steps: number[] = [];
    for (let t = start; t <= end; t += 15 * 60_000) steps.push(t);
    let total = 125_000 - steps.reduce((s, t) => s + pumpLps(t) * 0.9, 0);
    for (const t of steps) {
      const flow = pumpLps(t);
      total += flow * 0.9;
      const dip = dips.some((d) => t >= d && t < d + 45 * 60_000);
      const level = dip ? 11.6 : 14 + 0.4 * Math.sin(t / (6 * H));
      const ts = new Date(t).toISOString();
      // Water table deepening 0,3 m/month, 4 m of drawdown while pumping.
      const depth = 40 + (0.3 * (t - start)) / (30 * 24 * H) + (flow > 0 ? 4 : 0);
      rows.push(
        [pointId, 1, ts, flow, 0],
        [pointId, 2, ts, Math.round(total * 10) / 10, 0],
        [pointId, 3, ts, level, 0],
        [pointId, 4, ts, Math.round(depth * 100) / 100, 0],
      );
    }
    for (let i = 0; i < rows.length; i += 3000) {
      const chunk = rows.slice(i, i + 3000);
      const values = chunk
        .map(
          (_, j) =>
            `($${j * 5 + 1}::int, $${j * 5 + 2}::smallint, $${j * 5 + 3}::timestamptz, $${j * 5 + 4}::float8, $${j * 5 + 5}::smallint, 'e2e-history')`,
        )
        .join(",");
      await pool.query(
        `INSERT INTO measurement (point_id, variable, ts, value, quality, source) VALUES ${values} ON CONFLICT DO NOTHING`,
        chunk.flat(),
      );
    }
    await rebuildRollups(pool, [pointId], new Date(start - H), new Date(end + H));
  } finally {
    await pool.end();
  }
}

/** Pump on 06–20 h UTC-3 (~09–23 h UTC) at ~20 L/s; m³ per 15-min step = L/s × 0,9. */
function pumpLps(t: number): number {
  const h = new Date(t).getUTCHours();
  return h >= 9 && h < 23 ? 20 + 2 * Math.sin(t / (24 * H)) : 0;
}

/** The chart shows actual and projection (lines), the interval (area) and the right (reference line). */
async function expectForecastChart(card: Locator) {
  await card.locator(".recharts-line").first().waitFor();
  expect(await card.locator(".recharts-line").count()).toBeGreaterThanOrEqual(2);
  expect(await card.locator(".recharts-area").count()).toBeGreaterThanOrEqual(1);
  expect(await card.locator(".recharts-reference-line").count()).toBeGreaterThanOrEqual(1);
  expect(await card.getByRole("img").first().getAttribute("aria-label")).toMatch(/frente a un derecho de [\d.]+ m³/);
}

beforeAll(async () => {
  fx = await seedFixtures();
  await seedHistory(fx.agricolaPoints[0]!.id);
  browser = await openBrowser();
  page = await browser.ctx.newPage();
  w = watchPage(page);
  await loginAs(page, manager.email, manager.password);
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

describe("predictive journeys (issue #20)", () => {
  it("a manager creates 'nivel < 12 m durante 30 min' with the preview, saves it and edits it", async () => {
    const p = fx.agricolaPoints[0]!;
    await timedGoto(page, "point-detail", `/points/${p.id}?clientId=${fx.clientIds.agricola}`, ".recharts-line");
    await page.getByRole("tab", { name: "Alertas" }).click();
    const rules = page.getByTestId("point-rules");
    await rules.getByRole("button", { name: "Nueva regla" }).click();
    const form = page.getByRole("form", { name: "Nueva regla de alerta" });
    await form.getByLabel("Nombre").fill("Nivel bajo");
    await form.getByLabel("Variable").selectOption("level");
    await form.getByLabel("Condición").selectOption("below");
    await form.getByLabel("Umbral").fill("12");
    await form.getByLabel("Unidad").selectOption("m");
    await form.getByLabel("Duración (min)").fill("30");
    await form.getByRole("button", { name: "Probar en los últimos 30 días" }).click();
    const preview = form.getByTestId("rule-preview");
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain("habría disparado 4 veces");
    await preview.locator(".recharts-line").first().waitFor();
    await screenshot(page, "alert-rule-preview");
    await form.getByRole("button", { name: "Guardar regla" }).click();
    await expect
      .poll(() => rules.getByTestId("alert-rule").first().textContent(), { timeout: 15_000 })
      .toContain("Nivel < 12 m durante 30 min");

    await rules.getByTestId("alert-rule").first().getByRole("button", { name: "Editar" }).click();
    const edit = page.getByRole("form", { name: "Editar regla Nivel bajo" });
    expect(await edit.getByLabel("Umbral").inputValue()).toBe("12");
    await edit.getByLabel("Duración (min)").fill("60");
    await edit.getByRole("button", { name: "Probar en los últimos 30 días" }).click();
    await expect
      .poll(() => edit.getByTestId("rule-preview").textContent(), { timeout: 20_000 })
      .toContain("habría disparado 0 veces");
    await screenshot(page, "alert-rule-edit");
    await edit.getByRole("button", { name: "Guardar cambios" }).click();
    await expect
      .poll(() => rules.getByTestId("alert-rule").first().textContent(), { timeout: 15_000 })
      .toContain("Nivel < 12 m durante 1 h");
    expect(await rules.getByTestId("alert-rule").count()).toBe(1);
  });

  it("tunes a built-in rule for the point with its preview", async () => {
    const defaults = page.getByTestId("builtin-defaults");
    const row = defaults.getByTestId("builtin-row").filter({ hasText: "Caudal sobre el otorgado" });
    await row.getByRole("button", { name: "Ajustar" }).click();
    const form = page.getByRole("form", { name: "Ajustar Caudal sobre el otorgado" });
    await form.getByLabel("Tolerancia (%)").fill("10");
    await form.getByRole("button", { name: "Probar en los últimos 30 días" }).click();
    await expect
      .poll(() => form.getByTestId("builtin-preview").textContent(), { timeout: 30_000 })
      .toMatch(/Esta regla habría disparado \d+ (vez|veces) en los últimos 30 días/);
    await screenshot(page, "builtin-rule-tune");
    await form.getByRole("button", { name: "Guardar ajuste" }).click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("ajuste del punto");
    expect(await row.textContent()).toContain("Tolerancia: 10 %");
    expect(w.consoleErrors).toEqual([]);
  });

  it("groups the point and adds a group rule that counts only while the pump runs", async () => {
    const groups = page.getByTestId("point-groups");
    await groups.getByRole("button", { name: "Nuevo grupo" }).click();
    const gf = page.getByRole("form", { name: "Nuevo grupo" });
    await gf.getByLabel("Nombre del grupo").fill("Sector norte");
    await expect
      .poll(() => gf.getByRole("checkbox", { name: fx.agricolaPoints[0]!.name }).isChecked(), { timeout: 15_000 })
      .toBe(true);
    await gf.getByRole("button", { name: "Guardar grupo" }).click();
    await expect
      .poll(() => groups.textContent(), { timeout: 15_000 })
      .toContain("Este punto pertenece al grupo «Sector norte»");

    const rules = page.getByTestId("point-rules");
    await rules.getByRole("button", { name: "Nueva regla" }).click();
    const form = page.getByRole("form", { name: "Nueva regla de alerta" });
    await form.getByLabel("Nombre").fill("Nivel bajo bombeando");
    await form.getByLabel("Aplica a").selectOption({ label: "Grupo «Sector norte»" });
    await form.getByLabel("Solo con la bomba en marcha").check();
    await form.getByRole("button", { name: "Probar en los últimos 30 días" }).click();
    await expect
      .poll(() => form.getByTestId("rule-preview").textContent(), { timeout: 20_000 })
      .toMatch(/Esta regla habría disparado \d+ (vez|veces) en los últimos 30 días/);
    await form.getByRole("button", { name: "Guardar regla" }).click();
    const row = rules.getByTestId("alert-rule").filter({ hasText: "Nivel bajo bombeando" });
    await expect
      .poll(() => row.textContent(), { timeout: 15_000 })
      .toContain("solo con bomba en marcha (caudal > 0,5 L/s)");
    expect(await row.textContent()).toContain("(grupo «Sector norte»)");
    await screenshot(page, "alert-rule-group-schedule");
  });

  it("the forecast card on the overview and on the point page: actual, projection, interval, right, one-line explanation", async () => {
    await timedGoto(
      page,
      "overview-client",
      `/?clientId=${fx.clientIds.agricola}`,
      "[data-testid=client-forecast-card]",
    );
    const ov = page.getByTestId("client-forecast-card");
    await expectForecastChart(ov);
    const explanation = (await ov.locator("p.small").first().textContent()) ?? "";
    expect(explanation.length).toBeGreaterThan(20);
    expect(explanation).not.toContain("\n");
    await screenshot(page, "forecast-overview");

    const p = fx.agricolaPoints[0]!;
    await timedGoto(page, "point-detail", `/points/${p.id}?clientId=${fx.clientIds.agricola}`, ".recharts-line");
    await page.getByRole("tab", { name: "Proyección" }).click();
    const card = page.getByTestId("forecast-card");
    await expectForecastChart(card);
    const line = (await card.getByTestId("forecast-explanation").textContent()) ?? "";
    expect(line).toMatch(/perfil|tendencia|historia|proyecci/i);
    expect(line).not.toContain("\n");
    await expect
      .poll(() => page.getByTestId("level-card").textContent(), { timeout: 15_000 })
      .toMatch(/\+0,\d+ m\/mes/);
    await screenshot(page, "forecast-point");
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });
});
