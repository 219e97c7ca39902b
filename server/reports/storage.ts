import type { Db } from "@/server/db";

/**
 * Where generated report files live. Keyed by the ReportJob id so a backend only maps ids to bytes; PostgreSQL
 * today (ADR 0008), an S3-compatible bucket could implement the same three calls.
 */
export interface ReportStorage {
  /** Stores the file of one report, replacing any earlier one (a regenerated report). */
  put(reportId: number, content: Buffer): Promise<void>;
  /** The file's bytes, or null when none is stored. */
  get(reportId: number): Promise<Buffer | null>;
  /** The stored size in bytes without reading the content, or null when none is stored. */
  sizeBytes(reportId: number): Promise<number | null>;
}

/** Report files as `bytea` rows of report_file (10–100 KB each), deleted with their ReportJob. */
export function pgReportStorage(db: Db): ReportStorage {
  return {
    async put(reportId, content) {
      const data = { content: new Uint8Array(content), sizeBytes: content.length };
      await db.reportFile.upsert({ where: { reportId }, create: { reportId, ...data }, update: data });
    },
    async get(reportId) {
      const row = await db.reportFile.findUnique({ where: { reportId }, select: { content: true } });
      return row ? Buffer.from(row.content) : null;
    },
    async sizeBytes(reportId) {
      const row = await db.reportFile.findUnique({ where: { reportId }, select: { sizeBytes: true } });
      return row?.sizeBytes ?? null;
    },
  };
}
