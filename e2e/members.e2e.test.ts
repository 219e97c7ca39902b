import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_CLIENTS, DEMO_USERS } from "@/server/seed/demo";
import { BASE_URL, loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures, type Fixtures } from "./fixtures";

let browser: Awaited<ReturnType<typeof openBrowser>>;
let fx: Fixtures;
const user = (email: string) => DEMO_USERS.find((u) => u.email === email)!;

beforeAll(async () => {
  fx = await seedFixtures();
  browser = await openBrowser();
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

async function session(email: string): Promise<{ page: Page; w: ReturnType<typeof watchPage> }> {
  await browser.ctx.clearCookies();
  const page = await browser.ctx.newPage();
  const w = watchPage(page);
  const u = user(email);
  await loginAs(page, u.email, u.password);
  return { page, w };
}

describe("a client's manager", () => {
  it("sees only their client everywhere; another client's point is not found", async () => {
    const { page, w } = await session("gestor@mineranorte.cl");
    const mine = DEMO_CLIENTS[1]!.name;
    const other = DEMO_CLIENTS[0]!.name;
    await page.getByTestId("client-card").waitFor();
    await expect
      .poll(() => page.getByTestId("kpi-reporting").locator(".value").textContent(), { timeout: 15_000 })
      .not.toBe("…");
    expect(await page.getByTestId("current-client").textContent()).toBe(mine);
    expect(await page.getByText(other).count()).toBe(0);
    await screenshot(page, "overview-manager");
    await timedGoto(page, "points-manager", "/points", "[data-testid=point-row]");
    const rows = await page.getByTestId("point-row").allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes(mine))).toBe(true);
    expect(await page.getByText(other).count()).toBe(0);
    await screenshot(page, "points-manager");
    // An Agrícola point id, typed by hand: the server answers "not found" and the page says so.
    await page.goto(`${BASE_URL()}/points/${fx.agricolaPoints[0]!.id}`);
    await page.getByTestId("not-found").waitFor();
    expect(await page.getByTestId("not-found").textContent()).toContain("Punto no encontrado");
    expect(await page.getByText(fx.agricolaPoints[0]!.name, { exact: true }).count()).toBe(0);
    await screenshot(page, "point-not-found");
    // The only failures allowed are the refused point lookups.
    expect(w.consoleErrors.filter((e) => !/points\.get|status of 404/.test(e))).toEqual([]);
    expect(w.external).toEqual([]);
    await page.close();
  });

  it("edits the notification rules and acknowledges an alert", async () => {
    const { page, w } = await session("gestor@mineranorte.cl");
    await timedGoto(page, "alerts", "/alerts", "[data-testid=anomaly-row]");
    const row = page.getByTestId("anomaly-row").first();
    await row.getByRole("button", { name: "Reconocer" }).click();
    await expect.poll(() => page.getByTestId("anomaly-row").count()).toBe(0);
    await page.getByLabel("Estado").selectOption("acknowledged");
    await expect.poll(() => page.getByTestId("anomaly-state").first().textContent()).toBe("Reconocida");
    await screenshot(page, "alerts-manager");

    await page.getByRole("tab", { name: "Reglas de notificación" }).click();
    await page.getByRole("button", { name: "Nueva regla" }).click();
    const form = page.getByTestId("rule-form");
    await form.getByLabel("Nombre de la regla").fill("Jefe de turno");
    await form.getByLabel("Destinatario").fill("no-es-correo");
    await form.getByRole("button", { name: "Crear regla" }).click();
    await expect.poll(() => form.getByText("Elija al menos un evento").count()).toBe(1);
    expect(await form.getByText("Correo inválido").count()).toBe(1);
    await form.getByLabel("Punto sin conexión").check();
    await form.getByLabel("Caudal sobre lo otorgado").check();
    await form.getByLabel("Destinatario").fill("turno@mineranorte.cl");
    await form.getByRole("button", { name: "Crear regla" }).click();
    await page.getByTestId("rules-msg").waitFor();
    const rule = page.getByTestId("rule-row").filter({ hasText: "Jefe de turno" });
    expect(await rule.textContent()).toContain("turno@mineranorte.cl");
    await rule.getByRole("button", { name: "Editar" }).click();
    const edit = page.getByRole("form", { name: "Editar regla Jefe de turno" });
    await edit.getByLabel("Severidad mínima").selectOption("critical");
    await edit.getByRole("button", { name: "Guardar regla" }).click();
    await expect.poll(() => rule.textContent()).toContain("Crítica");
    await screenshot(page, "alerts-rules");
    expect(w.consoleErrors).toEqual([]);
    await page.close();
  });
});

describe("a client's viewer", () => {
  it("sees the data but no edit or action buttons", async () => {
    const { page, w } = await session("lector@agricolaandes.cl");
    const nav = page.getByRole("navigation", { name: "Navegación principal" });
    expect(await nav.getByText("Administración").count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Auditoría" }).count()).toBe(0);
    await page.goto(`${BASE_URL()}/alerts`);
    await page.getByTestId("anomaly-row").first().waitFor();
    expect(await page.getByRole("button", { name: "Reconocer" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Resolver" }).count()).toBe(0);
    await page.getByRole("tab", { name: "Reglas de notificación" }).click();
    await page.getByText(/Cada regla avisa/).waitFor();
    expect(await page.getByRole("button", { name: "Nueva regla" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Editar" }).count()).toBe(0);
    await page.goto(`${BASE_URL()}/compliance`);
    await page.getByRole("tab", { name: /Revisión/ }).click();
    await page.getByTestId("review-row").first().or(page.getByText("No hay reportes pendientes")).waitFor();
    expect(await page.getByRole("button", { name: "Revisar" }).count()).toBe(0);
    expect(await page.getByRole("tab", { name: "Transporte" }).count()).toBe(0);
    await page.goto(`${BASE_URL()}/points/${fx.agricolaPoints[0]!.id}`);
    await page.getByRole("tab", { name: "Configuración y sensores" }).click();
    await page.getByTestId("binding").first().waitFor();
    expect(await page.getByRole("link", { name: "Editar configuración" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Desactivar vinculación" }).count()).toBe(0);
    await page.goto(`${BASE_URL()}/reports`);
    await page.locator("table tbody tr").first().waitFor();
    expect(await page.getByRole("button", { name: "Generar" }).count()).toBe(0);
    await page.goto(`${BASE_URL()}/admin/users`);
    await page.getByText("Sin acceso").waitFor();
    expect(w.consoleErrors).toEqual([]);
    await page.close();
  });

  it("works on a phone", async () => {
    const { page, w } = await session("lector@agricolaandes.cl");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId("kpi-reporting").waitFor();
    await screenshot(page, "overview-phone");
    await page.getByRole("button", { name: "Menú de navegación" }).click();
    await page.getByRole("link", { name: "Puntos de captación" }).click();
    await page.getByTestId("point-row").first().waitFor();
    await page.getByTestId("state-badge").filter({ hasText: "Sin conexión" }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "points-phone");
    await page.goto(`${BASE_URL()}/points/${fx.agricolaPoints[1]!.id}`);
    await page.locator(".recharts-line").first().waitFor();
    await screenshot(page, "point-detail-phone");
    expect(w.consoleErrors).toEqual([]);
    await page.close();
  });
});
