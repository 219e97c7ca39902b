import nodemailer from "nodemailer";
import { AppError } from "@/domain/errors";
import type { MailContent } from "./mime";
import type { ServerEnv } from "@/server/env";

/**
 * How the SMTP connection is secured. "auto": smtps:// is implicit TLS (465); port 587 requires
 * STARTTLS (Microsoft 365, Gmail); other smtp:// ports upgrade with STARTTLS when the server offers it.
 */
/** The modes are validated once, in server/env.ts (SMTP_SECURITY). */
export type SmtpSecurityMode = ServerEnv["SMTP_SECURITY"];
export interface SmtpSecurity {
  mode: SmtpSecurityMode;
  /** false only for a relay with a self-signed certificate on a trusted network (and tests). */
  rejectUnauthorized: boolean;
}
export const DEFAULT_SMTP_SECURITY: SmtpSecurity = { mode: "auto", rejectUnauthorized: true };

export function smtpSecurityOf(e: {
  SMTP_SECURITY: SmtpSecurityMode;
  SMTP_TLS_REJECT_UNAUTHORIZED: boolean;
}): SmtpSecurity {
  return { mode: e.SMTP_SECURITY, rejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED };
}

/** nodemailer transport options for an smtp(s):// URL and a security mode. */
export function transportOptions(smtpUrl: string, security: SmtpSecurity, timeoutMs: number) {
  const u = new URL(smtpUrl);
  const implicit = security.mode === "tls" || (security.mode === "auto" && u.protocol === "smtps:");
  const port = Number(u.port || (implicit ? 465 : 25));
  const requireTLS = security.mode === "starttls" || (security.mode === "auto" && !implicit && port === 587);
  return {
    host: u.hostname,
    port,
    secure: implicit,
    requireTLS,
    ignoreTLS: security.mode === "none",
    name: "smarthydro",
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    tls: { rejectUnauthorized: security.rejectUnauthorized, servername: u.hostname },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

/** 5xx answers (bad recipient, refused auth) will not change on retry; everything else may. */
function classify(e: unknown): AppError {
  const err = e as { responseCode?: number; code?: string; message?: string };
  const permanent = (err.responseCode ?? 0) >= 500 || err.code === "EAUTH";
  return new AppError(
    permanent ? "PROVIDER_PERMANENT" : "PROVIDER_UNAVAILABLE",
    `SMTP: ${(err.message ?? String(e)).slice(0, 200)}`,
    { cause: e },
  );
}

/**
 * Sends one message (text and, when given, HTML alternative; attachments) through nodemailer's SMTP
 * transport: EHLO, STARTTLS or implicit TLS per `security`, AUTH when the URL has credentials.
 */
export async function sendMailWithAttachments(
  smtpUrl: string,
  mail: MailContent,
  timeoutMs = 30_000,
  security: SmtpSecurity = DEFAULT_SMTP_SECURITY,
): Promise<{ accepted: string[] }> {
  const transport = nodemailer.createTransport(transportOptions(smtpUrl, security, timeoutMs));
  try {
    const info = await transport.sendMail({
      from: mail.from,
      to: [...mail.to],
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      date: mail.date,
      attachments: (mail.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
      })),
    });
    return {
      accepted: (info.accepted as (string | { address: string })[]).map((a) => (typeof a === "string" ? a : a.address)),
    };
  } catch (e) {
    throw classify(e);
  } finally {
    transport.close();
  }
}
