import { z } from "zod";
import { DEFAULT_JOB_OPTIONS, defineJob, enqueueMany } from "@/server/jobs/define";
import { getPgPool } from "@/server/pg";
import { getLogger } from "@/server/logger";
import { smtpSecurityOf } from "@/server/mail/smtp";
import type { PendingDelivery } from "./fanout";

/** Delivers email/webhook notifications created by the anomaly fan-out (in-app rows need no delivery). */
export const notifyJob = defineJob({
  queue: "notify",
  name: "deliver",
  schema: z.object({ notificationId: z.number().int() }),
  jobId: (p) => `notification-${p.notificationId}`,
  options: DEFAULT_JOB_OPTIONS,
  worker: () => ({ concurrency: 4 }),
  onStart(host) {
    if (!host.env.SMTP_URL)
      getLogger()
        .child({ kind: "notify" })
        .warn("SMTP_URL is not set: email notifications will be marked failed without sending");
  },
  async handler(payload, job, host) {
    const [{ deliverNotification }, { parseAllowlist }] = await Promise.all([
      import("./deliver"),
      import("@/server/webhooks/outbound"),
    ]);
    const deps = host.resource("notify:deps", () => ({
      db: getPgPool(),
      smtpUrl: host.env.SMTP_URL,
      mailFrom: `SmartHydro <alertas@${new URL(host.env.APP_URL).hostname}>`,
      appUrl: host.env.APP_URL,
      smtpSecurity: smtpSecurityOf(host.env),
      log: getLogger().child({ kind: "notify" }),
      webhookAllowlist: parseAllowlist(host.env.WEBHOOK_ALLOWLIST),
    }));
    return deliverNotification(deps, payload.notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  },
});

/** Enqueues delivery of pending email/webhook notifications; job ids make re-enqueueing a no-op. */
export async function enqueueDeliveries(pending: readonly Pick<PendingDelivery, "id">[]): Promise<void> {
  await enqueueMany(
    notifyJob,
    pending.map((p) => ({ payload: { notificationId: p.id } })),
  );
}
