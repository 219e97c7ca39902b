import type { Db } from "@/server/db";
import { monthLabelEs } from "@/domain/analytics/period";
import { sendMailWithAttachments, type SmtpSecurity } from "@/server/mail/smtp";
import { mailHtml, mailText, type MailHtml } from "@/server/mail/html";
import { ReportParamsSchema } from "./generate";
import { CONTENT_TYPES, type ReportFormat } from "./render";
import type { ReportStorage } from "./storage";

const MONTHLY_REPORT_EVENT = "monthly_report";

/** Email recipients: active email rules subscribed to monthly_report; else the client's contact email. */
async function reportRecipients(db: Db, clientId: number): Promise<{ to: string; ruleId: number | null }[]> {
  const rules = await db.notificationRule.findMany({
    where: { clientId, active: true, channel: "email", events: { has: MONTHLY_REPORT_EVENT } },
    select: { id: true, target: true },
  });
  const seen = new Set<string>();
  const out = rules
    .filter((r) => !seen.has(r.target.toLowerCase()) && seen.add(r.target.toLowerCase()))
    .map((r) => ({ to: r.target, ruleId: r.id }));
  if (out.length) return out;
  const c = await db.client.findUnique({ where: { id: clientId }, select: { contactEmail: true } });
  return c?.contactEmail ? [{ to: c.contactEmail, ruleId: null }] : [];
}

/** Sends a finished report by email and records one email Notification per recipient. */
export async function deliverReport(
  deps: {
    db: Db;
    storage: ReportStorage;
    smtpUrl: string | undefined;
    from: string;
    now: () => Date;
    appUrl?: string;
    smtpSecurity?: SmtpSecurity;
  },
  reportId: number,
): Promise<{ sent: boolean; recipients: string[]; reason?: string }> {
  const job = await deps.db.reportJob.findUnique({
    where: { id: reportId },
    include: { client: { select: { name: true } } },
  });
  const content = job?.status === "done" && job.fileName ? await deps.storage.get(reportId) : null;
  if (!job?.fileName || !content) return { sent: false, recipients: [], reason: "report not ready" };
  const recipients = await reportRecipients(deps.db, job.clientId);
  if (recipients.length === 0) return { sent: false, recipients: [], reason: "no recipients" };
  if (!deps.smtpUrl) return { sent: false, recipients: [], reason: "SMTP_URL not configured" };
  const params = ReportParamsSchema.parse(job.params);
  const period = monthLabelEs(params.month);
  const subject = `Informe mensual de extracción — ${job.client.name} — ${period}`;
  const mail: MailHtml = {
    title: `Informe mensual de ${period}`,
    paragraphs: [
      "Estimado cliente:",
      `Adjuntamos el informe mensual de extracción de ${job.client.name} correspondiente a ${period}.`,
    ],
    ...(deps.appUrl ? { link: { href: `${deps.appUrl.replace(/\/+$/, "")}/reports`, label: "Ver sus reportes" } } : {}),
  };
  const to = recipients.map((r) => r.to);
  await sendMailWithAttachments(
    deps.smtpUrl,
    {
      from: deps.from,
      to,
      subject,
      text: mailText(mail),
      html: mailHtml(mail),
      date: deps.now(),
      attachments: [
        {
          filename: job.fileName,
          contentType: CONTENT_TYPES[job.format as ReportFormat] ?? "application/octet-stream",
          content,
        },
      ],
    },
    30_000,
    deps.smtpSecurity,
  );
  const now = deps.now();
  await deps.db.notification.createMany({
    data: recipients.map((r) => ({
      clientId: job.clientId,
      ruleId: r.ruleId,
      channel: "email" as const,
      event: MONTHLY_REPORT_EVENT,
      severity: "info" as const,
      title: subject,
      body: `Enviado a ${r.to}`,
      groupKey: `monthly_report:${job.clientId}:${params.month}`,
      payload: { reportId, to: r.to },
      status: "sent" as const,
      sentAt: now,
    })),
  });
  return { sent: true, recipients: to };
}
