import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "@/server/seed/demo";
import { loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures } from "./fixtures";
import { scanText, type Finding } from "./text-scan";

/** Issue #19 point 9: staff with "Todos los clientes" see every client on Alertas, Reportes and Informantes. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let w: ReturnType<typeof watchPage>;
const op = DEMO_USERS.find((u) => u.email === "operador@smarthydro.cl")!;
const BOTH = ["Agrícola Los Andes SpA", "Minera Norte Grande S.A."];

beforeAll(async () => {
  await seedFixtures();
  browser = await openBrowser();
  page = await browser.ctx.newPage();
  w = watchPage(page);
  await loginAs(page, op.email, op.password);
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

async function allClients() {
  const switcher = page.getByTestId("client-switcher");
  if ((await switcher.inputValue()) !== "") await switcher.selectOption("");
  await expect.poll(() => page.evaluate(() => location.search)).not.toContain("clientId");
}

async function scan(name: string, findings: Record<string, Finding[]>) {
  await page.waitForLoadState("networkidle");
  const f = scanText(await page.evaluate(() => document.body.innerText));
  if (f.length) findings[name] = f;
}

const distinct = async (testId: string) => [...new Set(await page.getByTestId(testId).allTextContents())].sort();

describe("staff 'Todos los clientes' views", () => {
  it("Alertas, Reportes and Informantes list rows of both clients, in Spanish, and fit a phone", async () => {
    const findings: Record<string, Finding[]> = {};
    await timedGoto(page, "alerts-all-clients", "/alerts", "[data-testid=anomaly-row]");
    await allClients();
    expect(await page.getByRole("heading", { name: "Alertas" }).count()).toBe(1);
    // Every state (another journey may have acknowledged Minera's alert): the filter works across clients.
    await page.locator("#an-state-all").selectOption("");
    await expect.poll(() => distinct("anomaly-client")).toEqual(BOTH);
    await scan("alertas", findings);
    await screenshot(page, "staff-alerts-all-clients");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("anomaly-row").first().waitFor();
    await page.locator(".sidebar").waitFor({ state: "hidden" }); // the drawer slides out when the viewport narrows
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "staff-alerts-all-clients-phone");
    await page.setViewportSize({ width: 1366, height: 850 });

    await timedGoto(page, "reports-all-clients", "/reports", "[data-testid=client-month-row]");
    expect(await page.getByRole("heading", { name: "Resumen del mes por cliente" }).count()).toBe(1);
    const rows = page.getByTestId("client-month-row");
    await expect.poll(() => rows.count()).toBe(2);
    expect((await rows.allTextContents()).map((t) => BOTH.find((n) => t.includes(n)))).toEqual(BOTH);
    // Each client links to its own reports, where a PDF or XLSX can be generated.
    await rows.first().getByRole("link", { name: "Ver reportes" }).click();
    await page.getByRole("heading", { name: "Nuevo reporte mensual" }).waitFor();
    expect(await page.getByTestId("client-switcher").inputValue()).not.toBe("");
    await allClients();
    await page.getByTestId("client-month-row").first().waitFor();
    await scan("reportes", findings);
    await screenshot(page, "staff-reports-all-clients");

    await timedGoto(page, "informantes-all-clients", "/admin/informantes", "[data-testid=informante-row]");
    await expect.poll(() => distinct("informante-client")).toEqual(BOTH);
    // A new informante still names its client.
    expect(await page.locator("select#ni-client").count()).toBe(1);
    await scan("informantes", findings);
    await screenshot(page, "staff-informantes-all-clients");

    expect(findings).toEqual({});
    expect(w.consoleErrors).toEqual([]);
  });
});
