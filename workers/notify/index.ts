import type { WorkerKind } from "@/workers/registry";
import { createWorker } from "@/workers/lib/create-worker";
import { QUEUES } from "@/server/queues/definitions";
import { getPgPool } from "@/server/pg";
import { getLogger } from "@/server/logger";
import { deliverNotification } from "@/server/notifications/deliver";
import { parseAllowlist } from "@/server/webhooks/outbound";
import { smtpSecurityOf } from "@/server/mail/smtp";

/** Delivers email/webhook notifications created by the anomaly fan-out (in-app rows need no delivery). */
export const notifyKind: WorkerKind = {
  async start(env) {
    const log = getLogger().child({ kind: "notify" });
    if (!env.SMTP_URL) log.warn("SMTP_URL is not set: email notifications will be marked failed without sending");
    const deps = {
      db: getPgPool(),
      smtpUrl: env.SMTP_URL,
      mailFrom: `SmartHydro <alertas@${new URL(env.APP_URL).hostname}>`,
      appUrl: env.APP_URL,
      smtpSecurity: smtpSecurityOf(env),
      log,
      webhookAllowlist: parseAllowlist(env.WEBHOOK_ALLOWLIST),
    };
    const worker = createWorker(
      QUEUES.notify,
      async (payload, job) =>
        deliverNotification(deps, payload.notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
      { concurrency: 4 },
    );
    return { close: () => worker.close() };
  },
};
