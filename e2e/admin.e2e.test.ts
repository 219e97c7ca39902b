import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "@/server/seed/demo";
import { rutCheckDigit } from "@/domain/rut";
import { BASE_URL, loginAs, openBrowser, screenshot, timedGoto, watchPage, writePageTimes } from "./browser";
import { seedFixtures, type Fixtures } from "./fixtures";

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let w: ReturnType<typeof watchPage>;
const admin = DEMO_USERS.find((u) => u.email === "admin@smarthydro.cl")!;
const suffix = Date.now().toString(36).slice(-5);
let fx: Fixtures;

beforeAll(async () => {
  fx = await seedFixtures();
  browser = await openBrowser();
  page = await browser.ctx.newPage();
  w = watchPage(page);
  await loginAs(page, admin.email, admin.password);
});
afterAll(async () => {
  await writePageTimes();
  await browser?.close();
});

describe("admin journeys", () => {
  it("overview of all clients and the main pages load without errors", async () => {
    await timedGoto(page, "overview-all", "/", "[data-testid=client-card]");
    await expect.poll(() => page.getByTestId("client-card").count()).toBe(2);
    // Each client's card says what needs attention today, with links to the wells.
    await expect.poll(() => page.getByTestId("client-actions").count(), { timeout: 15_000 }).toBe(2);
    await screenshot(page, "overview-admin");
    await timedGoto(page, "points", "/points", "[data-testid=point-row]");
    // Wells close together are drawn as one numbered cluster.
    await expect
      .poll(async () => (await page.getByTestId("map-point").count()) + (await page.getByTestId("map-cluster").count()))
      .toBeGreaterThan(0);
    await screenshot(page, "points-admin");
    for (const [name, path, ready] of [
      ["admin-clients", "/admin/clients", "[data-testid=client-row]"],
      ["admin-users", "/admin/users", "[data-testid=user-row]"],
      ["admin-points", "/admin/points", "[data-testid=admin-point-row]"],
      ["admin-providers", "/admin/providers", "[data-testid=account-row]"],
      ["admin-api-keys", "/admin/api-keys", "#nk-name"],
      ["admin-informantes", `/admin/informantes?clientId=${fx.clientIds.agricola}`, "#ni-name"],
      ["admin-audit", "/admin/audit", "table tbody tr"],
      ["admin-backfill", "/admin/backfill", "#bf-kind"],
      ["reports", `/reports?clientId=${fx.clientIds.agricola}`, "table tbody tr"],
    ] as const) {
      await timedGoto(page, name, path, ready);
      await screenshot(page, name);
    }
    // "Todos los clientes" is never silently the first client: these pages list every client (e2e/staff.e2e.test.ts).
    for (const [path, row] of [
      ["/reports", "client-month-row"],
      ["/admin/informantes", "informante-row"],
      ["/alerts", "anomaly-row"],
    ] as const) {
      await page.goto(`${BASE_URL()}${path}`);
      await page.getByTestId(row).first().waitFor();
      expect(await page.getByTestId("client-switcher").inputValue()).toBe("");
    }
    // The views that still need one client ask for it instead.
    await page.getByRole("tab", { name: "Notificaciones" }).click();
    await page.getByTestId("pick-client").waitFor();
    await screenshot(page, "pick-client-admin");
    // Compliance is truly cross-client: one month matrix per client with the DGA module.
    await timedGoto(page, "compliance-all", "/compliance", "[data-testid=matrix-row]");
    await expect.poll(() => page.getByTestId("client-compliance").count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId("compliance-matrix").count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, "compliance-all-clients");
    // A second, warm pass over the main pages for the timings.
    for (const [name, path, ready] of [
      ["overview-all", "/", "[data-testid=client-card]"],
      ["points", "/points", "[data-testid=point-row]"],
      ["admin-users", "/admin/users", "[data-testid=user-row]"],
      ["admin-providers", "/admin/providers", "[data-testid=account-row]"],
    ] as const)
      await timedGoto(page, name, path, ready);
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });

  it("creates a client, then a point: a bad obra code is rejected in the form, a good one saved", async () => {
    await page.goto(`${BASE_URL()}/admin/clients`);
    await page.getByRole("button", { name: "Nuevo cliente" }).click();
    const form = page.getByRole("form", { name: "Nuevo cliente" });
    await form.getByLabel("Razón social").fill(`Hidro Sur ${suffix} Ltda.`);
    await form.getByLabel("RUT").fill("76.455.593-8");
    await form.getByRole("button", { name: "Crear cliente" }).click();
    await expect.poll(() => form.getByText("RUT inválido").count()).toBe(1);
    const body = String(70_000_000 + Math.floor(Math.random() * 9_000_000));
    await form.getByLabel("RUT").fill(`${body}-${rutCheckDigit(body)}`);
    await form.getByRole("button", { name: "Crear cliente" }).click();
    await page.getByText("Cliente creado.").waitFor();
    await expect.poll(() => page.getByText(`Hidro Sur ${suffix} Ltda.`).count()).toBeGreaterThan(0);

    // The new client becomes the selected one; create its first point.
    const id = await page
      .getByTestId("client-switcher")
      .locator("option", { hasText: `Hidro Sur ${suffix}` })
      .getAttribute("value");
    await page.getByTestId("client-switcher").selectOption(id!);
    await page.waitForURL(/clientId=/);
    await page.goto(`${BASE_URL()}/admin/points?clientId=${id}`);
    await page.getByRole("button", { name: "Nuevo punto" }).click();
    const pf = page.getByTestId("point-form");
    await pf.getByLabel("Nombre").fill(`Pozo Norte ${suffix}`);
    await pf.getByLabel("Código de obra DGA").fill("OB-12-7");
    await pf.getByLabel("Caudal otorgado (L/s)").fill("25,5");
    await pf.getByRole("button", { name: "Crear punto" }).click();
    await expect.poll(() => pf.getByText("Código de obra inválido (formato OB-RRPP-N)").count()).toBe(1);
    expect(await pf.getByLabel("Código de obra DGA").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "admin-point-invalid");
    await pf.getByLabel("Código de obra DGA").fill(`OB-0901-${Math.floor(Math.random() * 9000) + 1000}`);
    await pf.getByLabel("Latitud").fill("-38,74");
    await pf.getByLabel("Longitud").fill("-72,6");
    await pf.getByLabel("Región").selectOption("La Araucanía");
    await pf.getByRole("button", { name: "Crear punto" }).click();
    await page.getByTestId("saved").waitFor();
    expect(await page.getByTestId("saved").textContent()).toContain(`Pozo Norte ${suffix}`);
    await expect.poll(() => page.getByTestId("admin-point-row").count()).toBe(1);
    // Leave the demo as other journeys expect it: the test client is deactivated (clients are never deleted).
    await page.goto(`${BASE_URL()}/admin/clients`);
    const row = page.getByTestId("client-row").filter({ hasText: `Hidro Sur ${suffix}` });
    await row.getByRole("button", { name: "Editar" }).click();
    const edit = page.getByRole("form", { name: `Editar Hidro Sur ${suffix} Ltda.` });
    await edit.getByLabel("Cliente activo").uncheck();
    await edit.getByRole("button", { name: "Guardar cambios" }).click();
    await page.getByText("Cambios guardados.").waitFor();
    expect(
      await page
        .getByTestId("client-row")
        .filter({ hasText: `Hidro Sur ${suffix}` })
        .textContent(),
    ).toContain("Inactivo");
    await page.getByTestId("client-switcher").selectOption("");
    expect(w.consoleErrors).toEqual([]);
  });

  it("creates a provider account: the push secret is shown once", async () => {
    await page.goto(`${BASE_URL()}/admin/providers`);
    await page.getByRole("button", { name: "Nueva cuenta" }).click();
    const form = page.getByRole("form", { name: "Nueva cuenta de proveedor" });
    await form.getByLabel("Proveedor").selectOption("tts");
    await form.getByLabel("Nombre").fill(`TTS e2e ${suffix}`);
    await form.getByLabel("URL base").fill("http://127.0.0.1:4012/api/v3");
    await form.getByLabel("Clave de API", { exact: true }).fill("NNSXS.E2E-SECRET");
    await form.getByRole("button", { name: "Crear cuenta" }).click();
    const secret = await page.getByTestId("secret-value").textContent();
    expect(secret?.length).toBeGreaterThan(16);
    await screenshot(page, "admin-provider-secret");
    await page.getByRole("button", { name: "Ya lo guardé" }).click();
    expect(await page.getByTestId("once-secret").count()).toBe(0);
    await page.reload();
    await page.getByTestId("account-row").first().waitFor();
    const html = await page.content();
    expect(html).not.toContain(secret!);
    expect(html).not.toContain("NNSXS.E2E-SECRET");
    const row = page.getByTestId("account-row").filter({ hasText: `TTS e2e ${suffix}` });
    expect(await row.textContent()).toContain("Guardadas (ocultas)");
    expect(w.consoleErrors).toEqual([]);
  });

  it("creates an API key: the key is shown once", async () => {
    await page.goto(`${BASE_URL()}/admin/api-keys`);
    await page.getByLabel("Nombre").fill(`ERP ${suffix}`);
    await page.getByRole("button", { name: "Crear clave" }).click();
    const key = await page.getByTestId("secret-value").textContent();
    expect(key?.length).toBeGreaterThan(20);
    await screenshot(page, "admin-api-key-once");
    await page.getByRole("button", { name: "Ya lo guardé" }).click();
    await page.reload();
    await page.getByTestId("apikey-row").first().waitFor();
    expect(await page.content()).not.toContain(key!);
    expect(
      await page
        .getByTestId("apikey-row")
        .filter({ hasText: `ERP ${suffix}` })
        .count(),
    ).toBe(1);
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
  });
});
