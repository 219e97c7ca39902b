import type pg from "pg";
import { AppError } from "@/domain/errors";
import { sendMailWithAttachments, type SmtpSecurity } from "@/server/mail/smtp";
import { mailHtml, mailText, type MailHtml } from "@/server/mail/html";
import { EVENT_LABEL, SEVERITY_LABEL } from "@/domain/i18n/labels";
import { decryptSecret } from "@/server/crypto";
import { postWebhook } from "@/server/webhooks/outbound";

export interface DeliveryDeps {
  db: pg.Pool;
  smtpUrl: string | undefined;
  mailFrom: string;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Portal base URL for the link to the item (APP_URL); no link without it. */
  appUrl?: string;
  smtpSecurity?: SmtpSecurity;
  /** Internal hosts/CIDRs webhooks may reach (WEBHOOK_ALLOWLIST); everything non-public is refused otherwise. */
  webhookAllowlist?: readonly string[];
}

type Outcome = "sent" | "skipped" | "failed";

/** Where the notified item is on the portal: the point (alert tab) or the DGA compliance page. */
function itemLink(appUrl: string, event: string, payload: unknown): { href: string; label: string } {
  const base = appUrl.replace(/\/+$/, "");
  const p = (payload ?? {}) as { pointId?: unknown };
  const pointId = typeof p.pointId === "number" ? p.pointId : null;
  if (event.startsWith("dga_") || event === "receipt_mismatch")
    return { href: `${base}/compliance`, label: "Ver el cumplimiento DGA" };
  if (pointId) return { href: `${base}/points/${pointId}`, label: "Ver el punto en SmartHydro" };
  return { href: `${base}/alerts`, label: "Ver las alertas en SmartHydro" };
}

/** The notification as an e-mail: what happened in words, its severity and a link to the item. */
function notificationMail(
  n: { title: string; body: string; event: string; severity: string; payload: unknown },
  appUrl: string | undefined,
): MailHtml {
  const kind = (EVENT_LABEL as Record<string, string>)[n.event] ?? "Aviso";
  const severity = SEVERITY_LABEL[n.severity] ?? n.severity;
  return {
    title: n.title,
    paragraphs: [n.body, `Tipo: ${kind}. Severidad: ${severity}.`],
    ...(appUrl ? { link: itemLink(appUrl, n.event, n.payload) } : {}),
    footer: "Recibe este correo por una regla de notificación de su cuenta SmartHydro.",
  };
}

async function mark(db: pg.Pool, id: number, status: "sent" | "failed", error: string | null): Promise<void> {
  await db.query(
    `UPDATE notification SET status = $2::"NotificationStatus", error = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END WHERE id = $1`,
    [id, status, error],
  );
}

/**
 * Delivers one pending email/webhook notification. Already sent/failed rows are skipped, so a re-run
 * job does nothing; a transport error throws (retryable) and `finalAttempt` turns it into status failed.
 */
export async function deliverNotification(deps: DeliveryDeps, id: number, finalAttempt: boolean): Promise<Outcome> {
  const r = await deps.db.query<{
    id: number;
    channel: string;
    status: string;
    title: string;
    body: string;
    event: string;
    severity: string;
    payload: unknown;
    target: string | null;
    secret_enc: string | null;
    created_at: Date;
  }>(
    `SELECT n.id, n.channel::text AS channel, n.status::text AS status, n.title, n.body, n.event, n.severity::text AS severity, n.payload, r.target, r.webhook_secret_enc AS secret_enc, n.created_at
     FROM notification n LEFT JOIN notification_rule r ON r.id = n.rule_id WHERE n.id = $1`,
    [id],
  );
  const n = r.rows[0];
  if (!n || n.status !== "pending" || n.channel === "in_app") return "skipped";
  if (!n.target) {
    await mark(deps.db, id, "failed", "rule deleted: no target");
    return "failed";
  }
  try {
    if (n.channel === "email") {
      if (!deps.smtpUrl) {
        deps.log.warn({ notificationId: id }, "email not sent: SMTP_URL is not configured");
        await mark(deps.db, id, "failed", "email disabled: SMTP_URL not configured");
        return "failed";
      }
      const m = notificationMail(n, deps.appUrl);
      await sendMailWithAttachments(
        deps.smtpUrl,
        {
          from: deps.mailFrom,
          to: [n.target],
          subject: n.title,
          text: mailText(m),
          html: mailHtml(m),
          date: new Date(),
        },
        15_000,
        deps.smtpSecurity,
      );
    } else {
      const body = JSON.stringify({
        id,
        event: n.event,
        severity: n.severity,
        title: n.title,
        body: n.body,
        payload: n.payload,
        createdAt: n.created_at,
      });
      const status = await postWebhook(n.target, body, {
        secret: n.secret_enc ? decryptSecret(n.secret_enc) : null,
        allowlist: deps.webhookAllowlist ?? [],
        timeoutMs: 10_000,
        headers: { "idempotency-key": `notification-${id}` },
      });
      if (status < 200 || status >= 300) throw new AppError("PROVIDER_UNAVAILABLE", `webhook answered ${status}`);
    }
  } catch (e) {
    // A refused target or a redirect will not change on retry.
    if (finalAttempt || (e instanceof AppError && !e.retryable)) {
      await mark(deps.db, id, "failed", (e instanceof Error ? e.message : String(e)).slice(0, 500));
      return "failed";
    }
    throw e instanceof AppError
      ? e
      : new AppError("PROVIDER_UNAVAILABLE", e instanceof Error ? e.message : String(e), { cause: e });
  }
  await mark(deps.db, id, "sent", null);
  deps.log.info({ notificationId: id, channel: n.channel }, "notification delivered");
  return "sent";
}
