import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { startSmtpSink } from "@/server/reports/__tests__/smtp-sink";
import { deliverNotification } from "./deliver";

const log = { info: () => {}, warn: () => {} };
let clientId: number;

beforeAll(async () => {
  await truncateAll();
  clientId = (await getDb().client.create({ data: { name: "Notif", rut: "76455593-7" } })).id;
});
afterAll(closeAll);

async function pending(channel: "email" | "webhook", target: string) {
  const rule = await getDb().notificationRule.create({
    data: { clientId, name: channel, events: ["point_offline"], channel, target },
  });
  return getDb().notification.create({
    data: {
      clientId,
      ruleId: rule.id,
      channel,
      event: "point_offline",
      severity: "critical",
      title: "Punto sin datos",
      body: "Pozo 7 no reporta desde las 10:00",
    },
  });
}

describe("notification delivery", () => {
  it("sends an email through SMTP once, even when the job runs twice", async () => {
    const sink = await startSmtpSink();
    try {
      const n = await pending("email", "alertas@agricola.cl");
      const deps = { db: getPgPool(), smtpUrl: sink.url, mailFrom: "alertas@smarthydro.cl", log };
      expect(await deliverNotification(deps, n.id, false)).toBe("sent");
      expect(await deliverNotification(deps, n.id, false)).toBe("skipped");
      expect(sink.messages).toHaveLength(1);
      expect(JSON.stringify(sink.messages[0])).toContain("alertas@agricola.cl");
      expect((await getDb().notification.findUniqueOrThrow({ where: { id: n.id } })).status).toBe("sent");
    } finally {
      await sink.close();
    }
  });

  it("posts a webhook and marks the notification failed without SMTP configured", async () => {
    const got: string[] = [];
    const server = createServer((req, res) => {
      let b = "";
      req.on("data", (c: Buffer) => (b += c.toString()));
      req.on("end", () => {
        got.push(b);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as { port: number }).port;
      const hook = await pending("webhook", `http://127.0.0.1:${port}/hook`);
      // The listener is on loopback: an operator allowlist admits it (test/security/webhooks.int.test.ts covers refusals).
      expect(
        await deliverNotification(
          { db: getPgPool(), smtpUrl: undefined, mailFrom: "x@y.cl", log, webhookAllowlist: ["127.0.0.1"] },
          hook.id,
          false,
        ),
      ).toBe("sent");
      expect(got).toHaveLength(1);
      expect(got[0]).toContain("Punto sin datos");
      const mail = await pending("email", "otro@agricola.cl");
      expect(
        await deliverNotification({ db: getPgPool(), smtpUrl: undefined, mailFrom: "x@y.cl", log }, mail.id, false),
      ).toBe("failed");
    } finally {
      server.close();
    }
  });
});
