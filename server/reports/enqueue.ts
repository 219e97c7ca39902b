import { QUEUES } from "@/server/queues/definitions";
import { getQueue } from "@/server/queues/connection";

/** Queues a report job; the job id is derived from the row so a double submit collapses. */
export async function enqueueReport(reportId: number): Promise<void> {
  const q = QUEUES.reports;
  await getQueue(q.name).add("report", q.schema.parse({ reportId }), { ...q.defaults, jobId: `report-${reportId}` });
}
