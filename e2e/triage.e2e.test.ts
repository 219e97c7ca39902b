import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "@/server/seed/demo";
import { BASE_URL, loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures, type Fixtures } from "./fixtures";

/** Issue #19's jobs for a water manager: find why a well is red, and see this month's DGA compliance per well. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let w: ReturnType<typeof watchPage>;
let fx: Fixtures;
const manager = DEMO_USERS.find((u) => u.email === "gestor@agricolaandes.cl")!;
const LONG_NAME = "Pozo profundo sector norte junto al canal de regadío principal de la hijuela Las Vertientes N° 3";

beforeAll(async () => {
  fx = await seedFixtures();
  // One well with a very long name: the list must wrap it, not push the other columns out of view.
  const pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 1 });
  await pool.query(
    `UPDATE capture_point SET name = $1 WHERE id = (SELECT max(id) FROM capture_point WHERE client_id = $2)`,
    [LONG_NAME, fx.clientIds.agricola],
  );
  await pool.end();
  browser = await openBrowser();
  page = await browser.ctx.newPage();
  w = watchPage(page);
  await loginAs(page, manager.email, manager.password);
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

describe("manager journeys (issue #19)", () => {
  it("find why a well is red: the overview lists what needs attention, with reasons, and links to the well", async () => {
    await timedGoto(page, "overview-triage", "/", "[data-testid=action-item]");
    const items = page.getByTestId("action-item");
    const more = page.getByRole("button", { name: /Mostrar los \d+ puntos con pendientes/ });
    if (await more.count()) await more.click();
    const item = (name: string) => items.filter({ has: page.getByRole("link", { name, exact: true }) });
    // Fixtures: point 0 has an open "flow above granted" alarm, point 1 a spike, point 2 is silent for 5 h.
    await expect.poll(() => item(fx.agricolaPoints[0]!.name).textContent()).toContain("Caudal sobre lo otorgado");
    expect(await item(fx.agricolaPoints[1]!.name).textContent()).toContain("Pico de caudal de 48 L/s");
    expect(await item(fx.agricolaPoints[2]!.name).textContent()).toMatch(
      /Sin conexión desde \d{2}-\d{2}-\d{4} \d{2}:\d{2}/,
    );
    // The silent well is listed before the wells whose only problem is a warning.
    const order = await items.locator(".point-name").allTextContents();
    expect(order.indexOf(fx.agricolaPoints[2]!.name)).toBeLessThan(order.indexOf(fx.agricolaPoints[1]!.name));
    // The DGA card is not red when nothing failed: no red segment without failed or missing reports.
    const bar = page.getByTestId("dga-bar");
    await bar.waitFor();
    const label = (await bar.getAttribute("aria-label")) ?? "";
    if (/Fallidos: 0, Faltantes: 0/.test(label)) expect(await bar.locator("[data-segment=failed]").count()).toBe(0);
    await screenshot(page, "triage-overview");

    await item(fx.agricolaPoints[2]!.name).getByRole("link", { name: fx.agricolaPoints[2]!.name }).click();
    await page.waitForURL(new RegExp(`/points/${fx.agricolaPoints[2]!.id}`));
    await page.goto(`${BASE_URL()}/points`);
    await page.getByTestId("state-reason").first().waitFor();
    const row = page.getByTestId("point-row").filter({ hasText: fx.agricolaPoints[2]!.name });
    expect(await row.getByTestId("state-reason").textContent()).toContain("Sin conexión desde");
    expect(w.consoleErrors).toEqual([]);
  });

  it("the points list fits 1440 px with a long name, and a phone shows every state badge whole", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await timedGoto(page, "points-triage", "/points", "[data-testid=state-reason]");
    await page.getByRole("link", { name: LONG_NAME, exact: true }).waitFor();
    const wrap = page.locator(".table-wrap").first();
    const [scrollW, clientW] = await wrap.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scrollW).toBeLessThanOrEqual(clientW);
    await screenshot(page, "points-1440-long-name");
    // The map sits in a narrow side column; "Ampliar mapa" gives it half the page.
    const map = page.getByRole("region", { name: "Mapa" }).locator("svg").first();
    const narrow = (await map.boundingBox())!.width;
    await page.getByRole("button", { name: "Ampliar mapa" }).click();
    await expect.poll(async () => (await map.boundingBox())!.width).toBeGreaterThan(Math.max(500, narrow * 2));
    await screenshot(page, "points-1440-wide-map");
    await page.getByRole("button", { name: "Reducir mapa" }).click();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId("state-reason").first().waitFor();
    for (const badge of await page.getByTestId("state-badge").all()) {
      const box = await badge.boundingBox();
      if (box) expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "points-phone-cards");
    await page.setViewportSize({ width: 1366, height: 850 });
    expect(w.consoleErrors).toEqual([]);
  });

  it("see this month's compliance per well: one row per well, distinct day states, hours on click", async () => {
    await timedGoto(page, "compliance-matrix", "/compliance", "[data-testid=matrix-row]");
    const row = page.getByTestId("matrix-row").filter({ hasText: fx.agricolaPoints[0]!.name });
    const cells = await row.locator("button.cell").evaluateAll((els) => els.map((e) => e.getAttribute("data-cell")));
    const today = Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: "Etc/GMT+4", day: "numeric" }).format(new Date()),
    );
    // Days before go-live owe nothing; days after today are future; never the same grey for both.
    expect(cells.slice(0, today - 1).every((c) => c === "not_owed")).toBe(true);
    expect(cells.slice(today).every((c) => c === "future")).toBe(true);
    expect(["sent", "late", "pending", "review", "failed", "missing", "not_owed"]).toContain(cells[today - 1]);
    const legend = await page.getByRole("list", { name: "Leyenda de la matriz" }).textContent();
    for (const word of [
      "Enviado a tiempo",
      "Atrasado",
      "En revisión",
      "Fallido",
      "Faltante",
      "Sin obligación",
      "Futuro",
    ])
      expect(legend).toContain(word);
    await row
      .locator("button.cell")
      .nth(today - 1)
      .click();
    await page
      .getByTestId("matrix-hours")
      .getByRole("listitem")
      .first()
      .or(page.getByText("Sin horas adeudadas"))
      .first()
      .waitFor();
    expect(await page.getByTestId("matrix-hours").textContent()).toContain("UTC-4");
    await screenshot(page, "compliance-matrix");

    // A manager reads why an hour is held, and that SmartHydro resolves it.
    await page.getByRole("tab", { name: /Revisión/ }).click();
    const first = page.getByTestId("review-row").first();
    await first.or(page.getByText("No hay reportes pendientes")).first().waitFor();
    if (await first.count()) {
      await first.getByRole("button", { name: "Ver detalle" }).click();
      expect(await page.getByTestId("review-next").textContent()).toContain("lo resuelve el equipo de SmartHydro");
      await page.getByTestId("review-chart").or(page.getByText("Sin lecturas de caudal")).first().waitFor();
      await screenshot(page, "compliance-review-manager");
    }
    await page.getByRole("tab", { name: "Comprobantes" }).click();
    expect(await page.getByTestId("receipts-zones").textContent()).toContain("hora de Chile");
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });
});
