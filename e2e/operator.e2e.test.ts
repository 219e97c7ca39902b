import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "@/server/seed/demo";
import { BASE_URL, loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures, type Fixtures } from "./fixtures";

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let w: ReturnType<typeof watchPage>;
let fx: Fixtures;
const op = DEMO_USERS.find((u) => u.email === "operador@smarthydro.cl")!;

beforeAll(async () => {
  fx = await seedFixtures();
  browser = await openBrowser();
  page = await browser.ctx.newPage();
  w = watchPage(page);
  await loginAs(page, op.email, op.password);
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

describe("operator journeys", () => {
  it("sees no admin-only entries (users, API keys) but operates DGA", async () => {
    const nav = page.getByRole("navigation", { name: "Navegación principal" });
    expect(await nav.getByRole("link", { name: "Cumplimiento DGA" }).count()).toBe(1);
    expect(await nav.getByRole("link", { name: "Usuarios" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Claves de API" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Proveedores" }).count()).toBe(1);
  });

  it("overview of one client with live data", async () => {
    await timedGoto(
      page,
      "overview-client",
      `/?clientId=${fx.clientIds.agricola}`,
      "[data-testid=kpi-reporting] .value",
    );
    await expect
      .poll(() => page.getByTestId("kpi-alarm").locator(".value").textContent(), { timeout: 15_000 })
      .not.toBe("…");
    // Fixtures: two points with open alerts (alarm), one silent for 5 h (offline).
    expect(Number(await page.getByTestId("kpi-alarm").locator(".value").textContent())).toBeGreaterThanOrEqual(2);
    expect(Number(await page.getByTestId("kpi-offline").locator(".value").textContent())).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByRole("progressbar", { name: "Hoy" }).count()).toBe(1);
    await screenshot(page, "overview-client");
  });

  it("point detail: charts with quality flags, raw table, set-up, DGA and alerts", async () => {
    const p = fx.agricolaPoints[1]!;
    await timedGoto(page, "point-detail", `/points/${p.id}?clientId=${fx.clientIds.agricola}`, ".recharts-line");
    await expect.poll(() => page.getByTestId("raw-row").count()).toBeGreaterThan(10);
    expect(await page.getByRole("list", { name: "Banderas de calidad" }).textContent()).toContain("Pico");
    await screenshot(page, "point-detail");
    await timedGoto(page, "point-detail", `/points/${p.id}?clientId=${fx.clientIds.agricola}`, ".recharts-line");
    expect(await page.getByText("datos crudos").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "7 d" }).click();
    await expect.poll(() => page.getByText("elegido por el servidor según el rango").count()).toBe(1);
    await page.locator(".recharts-line").first().waitFor();
    await page.getByRole("tab", { name: "Configuración y sensores" }).click();
    await page.getByTestId("binding").first().waitFor();
    await page.getByRole("tab", { name: "DGA" }).click();
    await page.getByTestId("cal-day").first().waitFor();
    await page.getByRole("tab", { name: "Alertas" }).click();
    await page.getByTestId("anomaly-row").first().waitFor();
    expect(w.consoleErrors).toEqual([]);
  });

  it("resolve a review item (staff): context, rounded values, a required note; accepts one and discards the other", async () => {
    await timedGoto(page, "compliance", `/compliance?clientId=${fx.clientIds.agricola}`, "[data-testid=matrix-row]");
    await page.getByRole("tab", { name: "Calendario" }).click();
    await page.getByTestId("cal-day").first().waitFor();
    await screenshot(page, "compliance-calendar");
    await page.getByRole("tab", { name: /Revisión/ }).click();
    await expect.poll(() => page.getByTestId("review-row").count()).toBe(2);
    await page.getByTestId("review-row").first().getByRole("button", { name: "Revisar" }).click();
    // The context: the reason in words, the flow around the hour, and what happens next.
    const ctx = page.getByTestId("review-context");
    await ctx.waitFor();
    expect(await ctx.textContent()).toMatch(/Por qué está en revisión/);
    await ctx.getByTestId("review-chart").waitFor();
    expect(await page.getByTestId("review-next").textContent()).toContain("Aceptar y enviar");
    const form = page.getByRole("form", { name: /Revisar reporte/ });
    // Pre-filled as the DGA receives them: flow with 2 decimals, totalizer an integer.
    expect(await form.getByLabel("Caudal (L/s)").inputValue()).toMatch(/^\d+(,\d{1,2})?$/);
    expect(await form.getByLabel("Totalizador (m³)").inputValue()).toMatch(/^\d+$/);
    await form.getByLabel("Caudal (L/s)").fill("21,3");
    await form.getByRole("button", { name: "Aceptar y enviar" }).click();
    await expect.poll(() => form.getByText("La nota es obligatoria").count()).toBe(1);
    await screenshot(page, "compliance-review");
    await form.getByLabel("Nota (obligatoria)").fill("Totalizador verificado en terreno");
    await form.getByRole("button", { name: "Aceptar y enviar" }).click();
    // The e2e server runs with a Centro de Control RUT (e2e/global-setup.ts), so an accepted slot goes back to pending.
    await page.getByText("Reporte aceptado").waitFor();
    await expect.poll(() => page.getByTestId("review-row").count()).toBe(1);
    await page.getByTestId("review-row").first().getByRole("button", { name: "Revisar" }).click();
    const f2 = page.getByRole("form", { name: /Revisar reporte/ });
    await f2.getByLabel("Nota (obligatoria)").fill("Dato inválido por mantención");
    await f2.getByRole("button", { name: "Descartar" }).click();
    await page.getByText("Reporte descartado.").waitFor();
    await expect.poll(() => page.getByTestId("review-row").count()).toBe(0);

    await page.getByRole("tab", { name: "Comprobantes" }).click();
    await expect.poll(() => page.getByTestId("receipt-row").count()).toBeGreaterThan(5);
    const href = await page.getByTestId("receipt-row").first().locator("a").getAttribute("href");
    expect(href).toContain("numeroComprobante=");
    const download = page.waitForEvent("download");
    await page.getByTestId("receipts-csv").click();
    expect((await download).suggestedFilename()).toMatch(/^comprobantes-dga-.*\.csv$/);
    await screenshot(page, "compliance-receipts");
    expect(w.consoleErrors).toEqual([]);
  });

  it("switches a point's DGA transport", async () => {
    await page.getByRole("tab", { name: "Transporte" }).click();
    const p = fx.agricolaPoints[0]!;
    const select = page.getByLabel(`Transporte DGA de ${p.name}`, { exact: true });
    await select.selectOption("off");
    await page.getByTestId("transport-msg").waitFor();
    expect(await page.getByTestId("transport-msg").textContent()).toContain("Apagado");
    await expect.poll(() => select.inputValue()).toBe("off");
    await select.selectOption("shadow");
    await expect.poll(() => page.getByTestId("transport-msg").textContent()).toContain("Sombra");
    await screenshot(page, "compliance-transport");
    // Dark theme from the user menu, kept in a cookie.
    await page.getByRole("button", { name: /menú de usuario/ }).click();
    await page.getByRole("menuitem", { name: "Usar tema oscuro" }).click();
    await page.goto(`${BASE_URL()}/points/${fx.agricolaPoints[1]!.id}`);
    await page.locator(".recharts-line").first().waitFor();
    expect(await page.locator(".shell").getAttribute("data-theme")).toBe("dark");
    await screenshot(page, "point-detail-dark");
    await page.getByRole("button", { name: /menú de usuario/ }).click();
    await page.getByRole("menuitem", { name: "Usar tema claro" }).click();
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });
});
