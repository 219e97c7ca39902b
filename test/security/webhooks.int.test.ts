import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { deliverNotification } from "@/server/notifications/deliver";
import { encryptSecret } from "@/server/crypto";
import { getPgPool } from "@/server/pg";
import { SIGNATURE_HEADER, guardedLookup } from "@/server/webhooks/outbound";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";

let f: Fixture;
const log = { info: () => {}, warn: () => {} };
const servers: Server[] = [];
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(async () => {
  for (const s of servers) s.close();
  await closeAll();
});

async function listener(
  answer: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string> },
) {
  const got: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let b = "";
    req.on("data", (c: Buffer) => (b += c.toString()));
    req.on("end", () => {
      got.push({ headers: req.headers, body: b });
      const a = answer(req, b);
      res.writeHead(a.status, a.headers).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { got, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

const ruleInput = (target: string) => ({
  clientId: f.clientA.id,
  name: "Hook",
  events: ["point_offline"],
  channel: "webhook",
  target,
});

async function pendingWebhook(target: string, secret: string | null = null) {
  const rule = await getDb().notificationRule.create({
    data: {
      clientId: f.clientA.id,
      name: "direct",
      events: ["point_offline"],
      channel: "webhook",
      target,
      webhookSecretEnc: secret ? encryptSecret(secret) : null,
    },
  });
  return getDb().notification.create({
    data: {
      clientId: f.clientA.id,
      ruleId: rule.id,
      channel: "webhook",
      event: "point_offline",
      severity: "critical",
      title: "Punto sin datos",
      body: "x",
    },
  });
}

/** Finding 1: a client manager must not make the notify worker POST to internal addresses. */
describe("outgoing webhooks (SSRF)", () => {
  it("refuses loopback, private, link-local/metadata and CGNAT targets when the rule is saved", async () => {
    const { url } = await listener(() => ({ status: 204 }));
    for (const target of [
      `${url}/hook`,
      "http://localhost:9/x",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://100.64.1.1/",
      "http://[::1]:80/",
      "http://[::ffff:127.0.0.1]/",
      "http://0.0.0.0/",
    ]) {
      const err = await runOperation(
        operations.notificationRules.create,
        getDb(),
        f.principals.managerA,
        ruleInput(target),
      ).catch((e: unknown) => e);
      expect(AppError.is(err, "BAD_INPUT"), target).toBe(true);
      expect((err as AppError).message).toMatch(/no permitido|resolver/);
    }
  });

  it("does not send to an internal target saved before the check (checked again at send time)", async () => {
    const l = await listener(() => ({ status: 204 }));
    const n = await pendingWebhook(`${l.url}/hook`);
    expect(
      await deliverNotification({ db: getPgPool(), smtpUrl: undefined, mailFrom: "x@y.cl", log }, n.id, false),
    ).toBe("failed");
    expect(l.got).toHaveLength(0);
    expect((await getDb().notification.findUniqueOrThrow({ where: { id: n.id } })).error).toMatch(/no permitido/);
  });

  it("checks every address the socket resolves, so a rebinding name cannot pass", async () => {
    const err = await new Promise<Error | null>((resolve) =>
      guardedLookup([])("localhost", { all: true }, (e) => resolve(e)),
    );
    expect(err?.message).toMatch(/no permitido/);
    const ok = await new Promise<Error | null>((resolve) =>
      guardedLookup(["localhost"])("localhost", { all: true }, (e) => resolve(e)),
    );
    expect(ok).toBeNull();
  });

  it("never follows a redirect, even to an allowed host", async () => {
    const inner = await listener(() => ({ status: 204 }));
    const outer = await listener(() => ({ status: 302, headers: { location: `${inner.url}/stolen` } }));
    const n = await pendingWebhook(`${outer.url}/hook`);
    expect(
      await deliverNotification(
        { db: getPgPool(), smtpUrl: undefined, mailFrom: "x@y.cl", log, webhookAllowlist: ["127.0.0.1"] },
        n.id,
        false,
      ),
    ).toBe("failed");
    expect(outer.got).toHaveLength(1);
    expect(inner.got).toHaveLength(0);
  });

  it("signs the body with HMAC-SHA256 over timestamp + body for an operator-allowlisted target", async () => {
    const l = await listener(() => ({ status: 204 }));
    const n = await pendingWebhook(`${l.url}/hook`, "whsec_test");
    expect(
      await deliverNotification(
        { db: getPgPool(), smtpUrl: undefined, mailFrom: "x@y.cl", log, webhookAllowlist: ["127.0.0.0/8"] },
        n.id,
        false,
      ),
    ).toBe("sent");
    const { headers, body } = l.got[0]!;
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers[SIGNATURE_HEADER]));
    expect(m).not.toBeNull();
    expect(m![2]).toBe(createHmac("sha256", "whsec_test").update(`${m![1]}.${body}`).digest("hex"));
    expect(Math.abs(Number(m![1]) - Date.now() / 1000)).toBeLessThan(60);
  });

  it("shows the signing secret once, at creation, and never again", async () => {
    const created = (await runOperation(
      operations.notificationRules.create,
      getDb(),
      f.principals.managerA,
      ruleInput("http://93.184.215.14/hook"),
    )) as { id: number; webhookSecret: string | null };
    expect(created.webhookSecret).toMatch(/^whsec_/);
    const row = await getDb().notificationRule.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.webhookSecretEnc).toBeTruthy();
    expect(row.webhookSecretEnc).not.toContain(created.webhookSecret);
    const listed = JSON.stringify(
      await runOperation(operations.notificationRules.list, getDb(), f.principals.managerA, { clientId: f.clientA.id }),
    );
    expect(listed).not.toContain("webhookSecret");
    expect(listed).not.toContain(created.webhookSecret!);
    const audit = JSON.stringify(
      (await getDb().auditLog.findMany({ where: { entity: "notification_rule" } })).map((a) => [a.before, a.after]),
    );
    expect(audit).not.toContain(created.webhookSecret!);
  });
});
