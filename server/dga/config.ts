import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "@/domain/dga/retry";
import { DEFAULT_STANDARDS, type StandardsConfig } from "@/domain/dga/standards";
import { env } from "@/server/env";

/** Runtime settings of the DGA pipeline. Every service takes one, so tests and the bench can override any field. */
export interface DgaConfig {
  apiUrl: string;
  centroControlRut: string | null;
  /** Global kill switch: false means nothing is ever POSTed. */
  submissionEnabled: boolean;
  requestTimeoutMs: number;
  receiptTimeoutMs: number;
  /** Minimum gap between two POSTs of the same obra (§6.1). */
  backlogSpacingMin: number;
  retryPolicy: RetryPolicy;
  standards: StandardsConfig;
  /** Slots are created this far ahead of now. */
  horizonHours: number;
  /** Catch-up bounds per cycle (owed slots created per point, and in total). */
  catchUpPerPoint: number;
  catchUpPerCycle: number;
  /** How long a claimed slot stays leased; past it the reconciler takes over. */
  leaseMs: number;
  staleAfterHours: number;
  writeOffAfterDays: number;
  /** Receipts re-checked per cycle (periodic sample). */
  receiptSampleSize: number;
  /** Rows handled per fill batch. */
  fillBatchSize: number;
  workerId: string;
}

export function dgaConfig(overrides: Partial<DgaConfig> = {}): DgaConfig {
  const e = env();
  return {
    apiUrl: e.DGA_API_URL,
    centroControlRut: e.DGA_CENTRO_CONTROL_RUT ?? null,
    submissionEnabled: e.DGA_SUBMISSION_ENABLED,
    requestTimeoutMs: e.DGA_REQUEST_TIMEOUT_MS,
    receiptTimeoutMs: e.DGA_RECEIPT_TIMEOUT_MS,
    backlogSpacingMin: e.DGA_BACKLOG_SPACING_MIN,
    retryPolicy: DEFAULT_RETRY_POLICY,
    standards: DEFAULT_STANDARDS,
    horizonHours: e.DGA_HORIZON_HOURS,
    catchUpPerPoint: e.DGA_CATCHUP_MAX_SLOTS_PER_POINT,
    catchUpPerCycle: e.DGA_CATCHUP_MAX_SLOTS_PER_CYCLE,
    leaseMs: e.DGA_LEASE_MS,
    staleAfterHours: e.DGA_STALE_AFTER_HOURS,
    writeOffAfterDays: e.DGA_WRITE_OFF_AFTER_DAYS,
    receiptSampleSize: e.DGA_RECEIPT_SAMPLE_SIZE,
    fillBatchSize: 2_000,
    workerId: `dga-${process.pid}`,
    ...overrides,
  };
}

export const SYSTEM_ACTOR = "system:dga";
