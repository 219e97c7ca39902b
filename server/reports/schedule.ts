import type { Db } from "@/server/db";
import { previousSantiagoMonth } from "@/domain/analytics/period";

/**
 * Creates the monthly report (PDF, emailed) of the previous America/Santiago month for every active
 * client that has the reports module; idempotent per client and month. Returns the new report ids.
 */
export async function scheduleMonthlyReports(
  db: Db,
  now: Date,
  enqueue: (reportId: number) => Promise<void>,
): Promise<number[]> {
  const month = previousSantiagoMonth(now);
  const clients = await db.client.findMany({
    where: { active: true, modules: { some: { module: "reports", enabled: true } } },
    select: { id: true },
  });
  const created: number[] = [];
  for (const c of clients) {
    const existing = await db.reportJob.findFirst({
      where: {
        clientId: c.id,
        kind: "monthly",
        AND: [{ params: { path: ["month"], equals: month } }, { params: { path: ["deliver"], equals: true } }],
      },
      select: { id: true, status: true },
      orderBy: { id: "desc" },
    });
    if (existing && existing.status !== "failed") continue;
    const job = await db.reportJob.create({
      data: { clientId: c.id, kind: "monthly", format: "pdf", params: { month, deliver: true } },
    });
    await enqueue(job.id);
    created.push(job.id);
  }
  return created;
}
