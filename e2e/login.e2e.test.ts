import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENTS, DEMO_USERS } from "@/server/seed/demo";
import { BASE_URL, login, openBrowser, screenshot, watchPage } from "./browser";

let browser: Awaited<ReturnType<typeof openBrowser>>;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => browser?.close());

const user = (email: string) => DEMO_USERS.find((u) => u.email === email)!;

describe("login and tenant isolation in the portal", () => {
  it("rejects a wrong password with a clear Spanish message", async () => {
    const page = await browser.ctx.newPage();
    const w = watchPage(page);
    await login(page, "admin@smarthydro.cl", "wrong-password");
    await expect.poll(() => page.locator("#login-error").textContent()).toContain("Correo o contraseña incorrectos");
    await screenshot(page, "login-error");
    expect(w.external).toEqual([]);
    await page.close();
  });

  it("an admin logs in and sees every demo client", async () => {
    const page = await browser.ctx.newPage();
    const w = watchPage(page);
    const u = user("admin@smarthydro.cl");
    await login(page, u.email, u.password);
    await page.waitForURL(`${BASE_URL()}/`);
    await expect.poll(() => page.getByTestId("client-card").count(), { timeout: 15_000 }).toBe(DEMO_CLIENTS.length);
    for (const c of DEMO_CLIENTS) expect(await page.getByText(c.name).count()).toBeGreaterThan(0);
    await screenshot(page, "overview-admin");
    await page.getByRole("link", { name: "Puntos de captación" }).click();
    await expect.poll(() => page.getByTestId("point-row").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, "points-admin");
    expect(w.consoleErrors).toEqual([]);
    expect(w.external).toEqual([]);
    await browser.ctx.clearCookies();
    await page.close();
  });

  it("a client's manager sees only their client and its points", async () => {
    const page = await browser.ctx.newPage();
    const w = watchPage(page);
    const u = user("gestor@mineranorte.cl");
    await login(page, u.email, u.password);
    await page.waitForURL(`${BASE_URL()}/`);
    await expect.poll(() => page.getByTestId("client-card").count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByText(DEMO_CLIENTS[1]!.name).count()).toBeGreaterThan(0);
    expect(await page.getByText(DEMO_CLIENTS[0]!.name).count()).toBe(0);
    await page.goto(`${BASE_URL()}/points`);
    await expect.poll(() => page.getByTestId("point-row").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const rows = await page.getByTestId("point-row").allTextContents();
    expect(rows.every((r) => r.includes(DEMO_CLIENTS[1]!.name))).toBe(true);
    await screenshot(page, "points-manager");
    expect(w.consoleErrors).toEqual([]);
    await browser.ctx.clearCookies();
    await page.close();
  });

  it("portal pages require a session", async () => {
    const page = await browser.ctx.newPage();
    await page.goto(`${BASE_URL()}/points`);
    await page.waitForURL(/\/login/);
    await page.close();
  });
});

describe("security headers set by the web app", () => {
  it("sends CSP with frame-ancestors, anti-framing and nosniff on pages and API", async () => {
    for (const path of ["/login", "/api/health?probe=live", "/api/v1/openapi.json"]) {
      const res = await fetch(`${BASE_URL()}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("pages run scripts by a per-request nonce, never by 'unsafe-inline' (issue #17, finding 11)", async () => {
    const [a, b] = await Promise.all([fetch(`${BASE_URL()}/login`), fetch(`${BASE_URL()}/login`)]);
    const csp = a.headers.get("content-security-policy") ?? "";
    const script = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    const nonce = /'nonce-([^']+)'/.exec(script)?.[1];
    expect(nonce).toBeTruthy();
    expect(script).not.toContain("unsafe-inline");
    expect(b.headers.get("content-security-policy")).not.toBe(csp);
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
    // The page still works under that policy: the login form hydrates and signs in (see the journeys above).
    const page = await browser.ctx.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${BASE_URL()}/login`);
    await page.waitForSelector("button[type=submit]:not([disabled])");
    expect(violations).toEqual([]);
    await page.close();
  });

  it("serves a valid OpenAPI document generated from the operations", async () => {
    const doc = (await (await fetch(`${BASE_URL()}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/v1/points/{id}/config"]?.put?.operationId).toBe("points.updateConfig");
    expect(doc.paths["/api/v1/auth/token"]?.post).toBeDefined();
  });
});
