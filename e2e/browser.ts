import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const BASE_URL = () => process.env.E2E_BASE_URL ?? "http://127.0.0.1:3123";

/** Debian's chromium, with the flags that keep it off the network. */
export async function openBrowser(): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  const ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "sh-e2e-")), {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    locale: "es-CL",
    timezoneId: "America/Santiago",
    viewport: { width: 1366, height: 850 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  return { ctx, close: () => ctx.close() };
}

/** Collects console errors and requests that leave the machine; tests assert both stay empty. */
export function watchPage(page: Page) {
  const consoleErrors: string[] = [];
  const external: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  page.on("response", (r) => {
    if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", "localhost"].includes(u.hostname) && !["data:", "blob:"].includes(u.protocol)) external.push(r.url());
  });
  return { consoleErrors, external };
}

export async function login(page: Page, email: string, password: string) {
  await page.goto(`${BASE_URL()}/login`);
  await page.getByLabel("Correo").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await page.getByRole("button", { name: "Ingresar" }).click();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
