import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { startSmtpSink } from "@/server/reports/test-smtp-sink";
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

/** A sunk message's body with quoted-printable and base64 parts decoded (enough to read the text and HTML). */
function readable(data: string): string {
  const qp = data
    .replace(/=\r\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  const b64 = [...data.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n(?:\r\n|--)/g)]
    .map((m) => Buffer.from(m[1]!.replace(/\r\n/g, ""), "base64").toString("utf8"))
    .join("\n");
  return Buffer.from(`${qp}\n${b64}`, "latin1").toString("utf8");
}

describe("notification delivery", () => {
  it("e-mails over STARTTLS with an HTML part linking to the point and a plain-text alternative", async () => {
    const sink = await startSmtpSink({ starttls: true });
    try {
      const n = await pending("email", "jefe@agricola.cl");
      await getDb().notification.update({ where: { id: n.id }, data: { payload: { pointId: 42 } } });
      const url = sink.url.replace("smtp://", "smtp://avisos%40smarthydro.cl:secreto@");
      const deps = {
        db: getPgPool(),
        smtpUrl: url,
        mailFrom: "SmartHydro <alertas@smarthydro.cl>",
        log,
        appUrl: "https://portal.smarthydro.cl",
        smtpSecurity: { mode: "starttls" as const, rejectUnauthorized: false },
      };
      expect(await deliverNotification(deps, n.id, false)).toBe("sent");
      expect(sink.messages).toHaveLength(1);
      const m = sink.messages[0]!;
      expect(m).toMatchObject({ secured: true, user: "avisos@smarthydro.cl", to: ["jefe@agricola.cl"] });
      expect(m.data).toContain("multipart/alternative");
      expect(m.data).toContain("text/plain");
      expect(m.data).toContain("text/html");
      const body = readable(m.data);
      expect(body).toContain('href="https://portal.smarthydro.cl/points/42"');
      expect(body).toContain("Ver el punto en SmartHydro: https://portal.smarthydro.cl/points/42");
      expect(body).toContain("Severidad: Crítica");
      expect(body).not.toMatch(/point_offline|critical/);
    } finally {
      await sink.close();
    }
  });

  it("verifies the server certificate unless told not to, and never sends in clear to a STARTTLS-only server", async () => {
    const sink = await startSmtpSink({ starttls: true });
    try {
      const base = { db: getPgPool(), smtpUrl: sink.url, mailFrom: "alertas@smarthydro.cl", log };
      const selfSigned = await pending("email", "a@agricola.cl");
      await expect(
        deliverNotification(
          { ...base, smtpSecurity: { mode: "starttls", rejectUnauthorized: true } },
          selfSigned.id,
          false,
        ),
      ).rejects.toThrow(/certificate/i);
      const clear = await pending("email", "b@agricola.cl");
      expect(
        await deliverNotification(
          { ...base, smtpSecurity: { mode: "none", rejectUnauthorized: true } },
          clear.id,
          true,
        ),
      ).toBe("failed");
      expect((await getDb().notification.findUniqueOrThrow({ where: { id: clear.id } })).error).toMatch(/STARTTLS/);
      expect(sink.messages).toHaveLength(0);
    } finally {
      await sink.close();
    }
  });

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
