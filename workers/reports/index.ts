import { z } from "zod";
import type { Job } from "bullmq";
import type { WorkerKind } from "@/workers/registry";
import type { WorkerEnv } from "@/workers/env";
import { createWorker } from "@/workers/lib/create-worker";
import { keepJobSchedulers } from "@/workers/lib/job-schedulers";
import { QUEUES } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";
import { getDb } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { getLogger } from "@/server/logger";
import { generateReport, ReportParamsSchema } from "@/server/reports/generate";
import { pgReportStorage } from "@/server/reports/storage";
import { smtpSecurityOf } from "@/server/mail/smtp";
import { deliverReport } from "@/server/reports/deliver";
import { enqueueReport } from "@/server/reports/enqueue";
import { scheduleMonthlyReports } from "@/server/reports/schedule";
import { evaluateBaselines } from "@/server/analytics/baseline";
import { evaluateForecastAlerts } from "@/server/forecast/alerts";
import { enqueueDeliveries } from "@/workers/processor/index";

/** Local contract for the schedules this kind owns (monthly delivery, hourly baseline anomalies). */
export const REPORTS_SCHEDULE = {
  name: "reports-schedule",
  schema: z.object({ task: z.enum(["monthly", "baseline", "forecast"]) }),
};

export function reportsDeps() {
  const db = getDb();
  return { db, pool: getPgPool(), storage: pgReportStorage(db), now: () => new Date() };
}

/** One report job: generate (progress to the row and to BullMQ), then email it when the job asks. */
export async function runReportJob(
  env: WorkerEnv,
  reportId: number,
  job?: Pick<Job, "updateProgress">,
): Promise<{ fileName: string; bytes: number; delivered: boolean }> {
  const deps = reportsDeps();
  const file = await generateReport(deps, reportId, async (pct) => {
    await job?.updateProgress(pct);
  });
  const row = await deps.db.reportJob.findUnique({ where: { id: reportId }, select: { params: true } });
  const params = ReportParamsSchema.safeParse(row?.params);
  let delivered = false;
  if (params.success && params.data.deliver) {
    const r = await deliverReport(
      {
        db: deps.db,
        storage: deps.storage,
        smtpUrl: env.SMTP_URL,
        from: `SmartHydro <informes@${new URL(env.APP_URL).hostname}>`,
        now: deps.now,
        appUrl: env.APP_URL,
        smtpSecurity: smtpSecurityOf(env),
      },
      reportId,
    );
    delivered = r.sent;
    if (!r.sent) getLogger().warn({ reportId, reason: r.reason }, "monthly report not emailed");
  }
  return { fileName: file.fileName, bytes: file.bytes, delivered };
}

export const reportsKind: WorkerKind = {
  async start(env) {
    const log = getLogger().child({ kind: "reports" });
    const worker = createWorker(QUEUES.reports, async ({ reportId }, job) => runReportJob(env, reportId, job), {
      concurrency: 2,
    });
    const schedQueue = getQueue(REPORTS_SCHEDULE.name);
    // 07:00 on the 1st (Santiago): last month's report; minute 10 of every hour: baseline anomalies.
    const kept = await keepJobSchedulers(schedQueue, [
      {
        id: "reports-monthly",
        repeat: { pattern: "0 7 1 * *", tz: "America/Santiago" },
        template: { name: "monthly", data: { task: "monthly" }, opts: { attempts: 3 } },
      },
      {
        id: "analytics-baseline",
        repeat: { pattern: "10 * * * *", tz: "America/Santiago" },
        template: { name: "baseline", data: { task: "baseline" }, opts: { attempts: 1 } },
      },
      // 06:20 daily: right and level forecasts, alerts raised ahead (issue #20).
      {
        id: "analytics-forecast",
        repeat: { pattern: "20 6 * * *", tz: "America/Santiago" },
        template: { name: "forecast", data: { task: "forecast" }, opts: { attempts: 1 } },
      },
    ]);
    const scheduler = createWorker(
      REPORTS_SCHEDULE,
      async ({ task }) => {
        if (task === "monthly") return { created: await scheduleMonthlyReports(getDb(), new Date(), enqueueReport) };
        if (task === "forecast") {
          const r = await evaluateForecastAlerts(getPgPool(), new Date());
          await enqueueDeliveries(r.pending);
          return { points: r.points, raised: r.raised, updated: r.updated, resolved: r.resolved };
        }
        return evaluateBaselines(getPgPool(), { now: new Date() });
      },
      { concurrency: 1 },
    );
    log.info("reports worker ready");
    return {
      async close() {
        kept.stop();
        await Promise.all([worker.close(), scheduler.close()]);
      },
    };
  },
};
