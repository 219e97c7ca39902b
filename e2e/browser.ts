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
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
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
    if (!["127.0.0.1", "localhost"].includes(u.hostname) && !["data:", "blob:"].includes(u.protocol))
      external.push(r.url());
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

// --- Added for the portal journeys (issue 6) ---

/** Logs in and waits for the portal shell. */
export async function loginAs(page: Page, email: string, password: string) {
  await login(page, email, password);
  await page.waitForURL(`${BASE_URL()}/`);
  await page.getByRole("navigation", { name: "Navegación principal" }).waitFor();
}

const pageTimes: Record<string, number[]> = {};

/**
 * Opens `path` with a full navigation and returns the time from navigation start until `ready`
 * (the page's main content) is visible, as the browser measures it (performance.now()).
 */
export async function timedGoto(page: Page, name: string, path: string, ready: string): Promise<number> {
  await page.goto(`${BASE_URL()}${path}`);
  await page.locator(ready).first().waitFor({ state: "visible", timeout: 30_000 });
  const ms = Math.round(await page.evaluate(() => performance.now()));
  (pageTimes[name] ??= []).push(ms);
  return ms;
}

/** Merges this file's measurements into e2e/results/page-times.json. */
export async function writePageTimes() {
  const { existsSync, mkdirSync, readFileSync, writeFileSync } = await import("node:fs");
  const file = "e2e/results/page-times.json";
  mkdirSync("e2e/results", { recursive: true });
  const prev = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { pages?: Record<string, { samples: number[] }> })
    : {};
  const pages: Record<string, { first: number; best: number; samples: number[] }> = {
    ...((prev.pages ?? {}) as Record<string, { first: number; best: number; samples: number[] }>),
  };
  for (const [name, samples] of Object.entries(pageTimes)) {
    const all = [...(pages[name]?.samples ?? []), ...samples];
    pages[name] = { first: all[0]!, best: Math.min(...all), samples: all };
  }
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), unit: "ms", metric: "navigation start → main content visible (full page load, production build, local); first = first visit in the run, best = fastest of the samples", pages }, null, 2)}\n`,
  );
}
