import { smtpSecurityOf } from "@/server/mail/smtp";
import { z } from "zod";
import type { Job } from "bullmq";
import { DEFAULT_JOB_OPTIONS, defineJob, enqueue, type JobHost } from "@/server/jobs/define";
import { getDb } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { getLogger } from "@/server/logger";
import { enqueueDeliveries } from "@/server/notifications/jobs";

/** One report job: generate (progress to the row and to BullMQ), then email it when the job asks. */
async function runReportJob(
  host: Pick<JobHost, "env" | "now">,
  reportId: number,
  job?: Pick<Job, "updateProgress">,
): Promise<{ fileName: string; bytes: number; delivered: boolean }> {
  const [{ generateReport, ReportParamsSchema }, { pgReportStorage }, { deliverReport }] = await Promise.all([
    import("./generate"),
    import("./storage"),
    import("./deliver"),
  ]);
  const prisma = getDb();
  const deps = { db: prisma, pool: getPgPool(), storage: pgReportStorage(prisma), now: host.now };
  const file = await generateReport(deps, reportId, async (pct) => {
    await job?.updateProgress(pct);
  });
  const row = await prisma.reportJob.findUnique({ where: { id: reportId }, select: { params: true } });
  const params = ReportParamsSchema.safeParse(row?.params);
  let delivered = false;
  if (params.success && params.data.deliver) {
    const r = await deliverReport(
      {
        db: prisma,
        storage: deps.storage,
        smtpUrl: host.env.SMTP_URL,
        from: `SmartHydro <informes@${new URL(host.env.APP_URL).hostname}>`,
        now: deps.now,
        appUrl: host.env.APP_URL,
        smtpSecurity: smtpSecurityOf(host.env),
      },
      reportId,
    );
    delivered = r.sent;
    if (!r.sent) getLogger().warn({ reportId, reason: r.reason }, "monthly report not emailed");
  }
  return { fileName: file.fileName, bytes: file.bytes, delivered };
}

export const reportJob = defineJob({
  queue: "reports",
  name: "report",
  schema: z.object({ reportId: z.number().int() }),
  /** Derived from the row, so a double submit collapses. */
  jobId: (p) => `report-${p.reportId}`,
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 2 },
  worker: () => ({ concurrency: 2 }),
  handler: ({ reportId }, job, host) => runReportJob(host, reportId, job),
});

/** Queues a report job for a report row. */
export async function enqueueReport(reportId: number): Promise<void> {
  await enqueue(reportJob, { reportId });
}

/** Periodic analytics owned by the reports kind: monthly delivery, hourly baseline anomalies, daily forecasts. */
export const reportsScheduleJob = defineJob({
  queue: "reports-schedule",
  name: "schedule",
  schema: z.object({ task: z.enum(["monthly", "baseline", "forecast"]) }),
  jobId: (p) => `reports-schedule-${p.task}`,
  options: { attempts: 1 },
  worker: () => ({ concurrency: 1 }),
  // 07:00 on the 1st (Santiago): last month's report; minute 10 of every hour: baseline anomalies;
  // 06:20 daily: right and level forecasts, alerts raised ahead (issue #20).
  schedule: () => [
    {
      id: "reports-monthly",
      repeat: { pattern: "0 7 1 * *", tz: "America/Santiago" },
      name: "monthly",
      data: { task: "monthly" as const },
      options: { attempts: 3 },
    },
    {
      id: "analytics-baseline",
      repeat: { pattern: "10 * * * *", tz: "America/Santiago" },
      name: "baseline",
      data: { task: "baseline" as const },
      options: { attempts: 1 },
    },
    {
      id: "analytics-forecast",
      repeat: { pattern: "20 6 * * *", tz: "America/Santiago" },
      name: "forecast",
      data: { task: "forecast" as const },
      options: { attempts: 1 },
    },
  ],
  onStart: () => getLogger().child({ kind: "reports" }).info("reports worker ready"),
  async handler({ task }, _job, host) {
    if (task === "monthly") {
      const { scheduleMonthlyReports } = await import("./schedule");
      return { created: await scheduleMonthlyReports(getDb(), host.now(), enqueueReport) };
    }
    if (task === "forecast") {
      const { evaluateForecastAlerts } = await import("@/server/forecast/alerts");
      const r = await evaluateForecastAlerts(getPgPool(), host.now());
      await enqueueDeliveries(r.pending);
      return { points: r.points, raised: r.raised, updated: r.updated, resolved: r.resolved };
    }
    const { evaluateBaselines } = await import("@/server/analytics/baseline");
    return evaluateBaselines(getPgPool(), { now: host.now() });
  },
});
