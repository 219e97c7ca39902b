import { z } from "zod";
import type { JobsOptions } from "bullmq";
import { PROVIDER_KINDS, type ProviderKind } from "@/domain/providers/types";

/**
 * One typed contract per queue: name, payload schema and default job options. Producers and
 * consumers both import it and consumers re-parse the payload. Payloads carry ids, never readings.
 */
/** One source: domain/providers/types (re-exported for the queue modules that import it from here). */
export { PROVIDER_KINDS };
export type ProviderKindName = ProviderKind;

export const CollectJobSchema = z.object({
  bindingId: z.number().int(),
  /** Window to read (ISO). Absent: from the watermark minus the overlap, to now minus the lag. */
  from: z.string().datetime().optional(),
  to: z.string().datetime().optional(),
  reason: z.enum(["schedule", "backfill", "manual"]),
  /** Backfill only: the start the caller asked for, when retention clipped it (shown in the progress view). */
  requestedFrom: z.string().datetime().optional(),
  clippedReason: z.string().max(300).optional(),
});

export const ProcessRawJobSchema = z.object({
  rawIds: z.array(z.string()).min(1),
  /** Re-run payloads already processed or rejected (replay after a mapping fix); default skips them. */
  reprocess: z.boolean().optional(),
});

export const DgaSubmitJobSchema = z.object({ slotId: z.string() });
export const NotifyJobSchema = z.object({ notificationId: z.number().int() });
export const ReportJobSchema = z.object({ reportId: z.number().int() });
export const MaintenanceJobSchema = z.object({
  task: z.enum(["partitions", "slots", "offline", "receipts-sample", "notifications", "sweep-raw"]),
  /** partitions: months created ahead; retention in months for measurement / raw_payload (0 = keep forever). */
  aheadMonths: z.number().int().min(0).max(24).optional(),
  measurementRetentionMonths: z.number().int().min(0).optional(),
  rawRetentionMonths: z.number().int().min(0).optional(),
  /** sweep-raw: re-enqueue accepted, unprocessed payloads received longer ago than this (default 2 min). */
  sweepOlderThanMs: z.number().int().min(0).optional(),
});

const base: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const QUEUES = {
  collect: (kind: ProviderKindName) => ({ name: `collect-${kind}`, schema: CollectJobSchema, defaults: base }),
  processRaw: { name: "process-raw", schema: ProcessRawJobSchema, defaults: base },
  dgaSubmit: { name: "dga-submit", schema: DgaSubmitJobSchema, defaults: { ...base, attempts: 3 } },
  notify: { name: "notify", schema: NotifyJobSchema, defaults: base },
  reports: { name: "reports", schema: ReportJobSchema, defaults: { ...base, attempts: 2 } },
  maintenance: { name: "maintenance", schema: MaintenanceJobSchema, defaults: { ...base, attempts: 3 } },
} as const;

export type CollectJob = z.infer<typeof CollectJobSchema>;
export type ProcessRawJob = z.infer<typeof ProcessRawJobSchema>;
export type DgaSubmitJob = z.infer<typeof DgaSubmitJobSchema>;
