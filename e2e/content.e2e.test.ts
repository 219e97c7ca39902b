import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "@/server/seed/demo";
import { unzip } from "@/server/reports/zip";
import { BASE_URL, loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures, type Fixtures } from "./fixtures";
import { scanText, type Finding } from "./text-scan";

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let w: ReturnType<typeof watchPage>;
let fx: Fixtures;
const manager = DEMO_USERS.find((u) => u.email === "gestor@agricolaandes.cl")!;

beforeAll(async () => {
  fx = await seedFixtures();
  browser = await openBrowser();
  page = await browser.ctx.newPage();
  w = watchPage(page);
  await loginAs(page, manager.email, manager.password);
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

/** Visible text of the page, chart labels (SVG) included. */
async function visibleText(p: Page): Promise<string> {
  return p.evaluate(() => {
    const svg = [...document.querySelectorAll("svg text")].map((t) => t.textContent ?? "").join(" \n ");
    return `${document.body.innerText}\n${svg}`;
  });
}

async function scan(name: string, findings: Record<string, Finding[]>) {
  await page.waitForLoadState("networkidle");
  const f = scanText(await visibleText(page));
  if (f.length) findings[name] = f;
}

describe("a client manager reads Spanish only", () => {
  it("no English word or point decimal on the main pages, alerts and a 404", async () => {
    const findings: Record<string, Finding[]> = {};
    const [a, b, c] = fx.agricolaPoints;
    await timedGoto(page, "overview-client", "/", "[data-testid=kpi-reporting] .value");
    await scan("overview", findings);
    await timedGoto(page, "points-manager", "/points", "[data-testid=point-row]");
    await scan("points", findings);
    for (const p of [a!, b!, c!]) {
      await timedGoto(page, "point-detail", `/points/${p.id}`, ".recharts-line");
      await page.getByRole("button", { name: "7 d" }).click();
      await page.locator(".recharts-line").first().waitFor();
      await scan(`point ${p.name} datos`, findings);
      for (const tab of ["Configuración y sensores", "DGA", "Alertas"]) {
        const t = page.getByRole("tab", { name: tab });
        if (!(await t.count())) continue;
        await t.click();
        await scan(`point ${p.name} ${tab}`, findings);
      }
    }
    await timedGoto(page, "alerts", "/alerts", "[data-testid=anomaly-row]");
    await scan("alerts", findings);
    await screenshot(page, "alerts-spanish");
    await page.goto(`${BASE_URL()}/compliance`);
    // The month-per-well matrix is the default tab; every other tab is read too.
    await page.getByTestId("matrix-row").first().waitFor();
    await scan("compliance", findings);
    for (const tab of ["Calendario", "Revisión", "Comprobantes"]) {
      await page.getByRole("tab", { name: tab }).click();
      if (tab === "Calendario") await page.getByTestId("cal-day").first().waitFor();
      await scan(`compliance ${tab}`, findings);
    }
    await page.goto(`${BASE_URL()}/reports`);
    await scan("reports", findings);
    await page.goto(`${BASE_URL()}/no-existe-esta-pagina`);
    await page.getByRole("heading", { name: /Página no encontrada/ }).waitFor();
    await scan("404", findings);
    await screenshot(page, "not-found-spanish");
    expect(findings).toEqual({});
    // The 404 above is the only failed request allowed.
    expect(w.consoleErrors.filter((e) => !/no-existe-esta-pagina|status of 404/.test(e))).toEqual([]);
    w.consoleErrors.length = 0;
  });
});

describe("export a point's history", () => {
  it("downloads the shown range as CSV and XLSX with Santiago times and es-CL numbers", async () => {
    const p = fx.agricolaPoints[0]!;
    await timedGoto(page, "point-detail", `/points/${p.id}`, ".recharts-line");
    await page.getByRole("button", { name: "24 h" }).click();
    await page.getByText("Otorgado", { exact: false }).first().waitFor();
    await screenshot(page, "point-history-export");

    const csvDl = page.waitForEvent("download");
    await page.getByTestId("history-csv").click();
    const csv = await csvDl;
    expect(csv.suggestedFilename()).toMatch(/^historia-.*\.csv$/);
    const text = readFileSync((await csv.path())!, "utf8").replace(/^\ufeff/, "");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toContain(p.name);
    expect(lines[1]).toBe(
      "Fecha y hora (America/Santiago);Caudal (L/s);Calidad caudal;Totalizador (m³);Calidad totalizador;Nivel del sensor (m);Calidad nivel del sensor",
    );
    // 24 h of 15-minute readings (fixtures), each "dd-mm-yyyy HH:mm;<es-CL number>;<quality>…".
    expect(lines.length).toBeGreaterThan(80);
    expect(lines[2]).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2};\d+,\d{2};Válido;\d+,\d;Válido;\d+,\d{2};Válido$/);

    const xlsxDl = page.waitForEvent("download");
    await page.getByTestId("history-xlsx").click();
    const xlsx = await xlsxDl;
    expect(xlsx.suggestedFilename()).toMatch(/^historia-.*\.xlsx$/);
    const files = await unzip(readFileSync((await xlsx.path())!));
    const sheet = files.get("xl/worksheets/sheet1.xml")!.toString("utf8");
    expect(sheet).toContain("Fecha y hora (America/Santiago)");
    expect(sheet).toMatch(/<c r="A2" s="6"><v>\d{5}\.\d+<\/v><\/c>/);
    expect(sheet).toMatch(/<autoFilter ref="A1:G\d+"\/>/);
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });
});

describe("API reference", () => {
  it("renders schemas and examples inside the portal, offline and within the CSP", async () => {
    await timedGoto(page, "api-docs", "/api-docs", "[data-testid=api-op]");
    expect(await page.getByRole("navigation", { name: "Navegación principal" }).count()).toBe(1);
    const op = page.getByTestId("api-op").filter({ hasText: "/api/v1/analytics/points/{id}/history" }).first();
    await op.locator("summary").click();
    expect(await op.textContent()).toContain("fecha y hora ISO 8601 (UTC)");
    expect(await op.locator("pre").textContent()).toContain("curl -X GET");
    expect(await page.getByRole("link", { name: "← Volver al portal" }).count()).toBe(1);
    await screenshot(page, "api-docs");
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });
});
