import type pg from "pg";
import type { FetchLike } from "./client";
import type { DgaConfig } from "./config";
import { fillSlots } from "./fill";
import { planSubmissions, type PlannedSend } from "./plan";
import { sampleReceipts } from "./receipts";
import { reconcileLeases } from "./reconcile";
import { checkConfiguration, createSlots } from "./scheduler";
import { reportingPoints } from "./points";

/** Session advisory lock key: cycles never overlap, whoever triggers them (scheduler, operator). */
const CYCLE_LOCK = [0x4447, 0] as const;

export interface CycleSummary {
  ran: boolean;
  slotsCreated: number;
  /** Catch-up: owed past boundaries that had no row and got one this cycle; live points still behind. */
  catchUp: { created: number; pointsBehind: number };
  blockedPoints: number;
  fill: { examined: number; changed: number; byState: Record<string, number> };
  recovered: { recovered: number; byState: Record<string, number> };
  dispatched: number;
  submissionEnabled: boolean;
  receipts: Record<string, number>;
}

/**
 * One DGA cycle: create slots ahead and catch up owed ones an outage left without a row, flag points missing configuration, fill and validate, recover
 * expired leases, then hand the due sends (one per obra, spaced) to `dispatch`.
 */
export async function runCycle(input: {
  pool: pg.Pool;
  now: Date;
  cfg: DgaConfig;
  dispatch: (planned: PlannedSend[]) => Promise<void>;
  sampleReceipts?: boolean;
  fetchImpl?: FetchLike;
}): Promise<CycleSummary> {
  const { pool, now, cfg } = input;
  const lock = await pool.connect();
  const empty: CycleSummary = {
    ran: false,
    slotsCreated: 0,
    catchUp: { created: 0, pointsBehind: 0 },
    blockedPoints: 0,
    fill: { examined: 0, changed: 0, byState: {} },
    recovered: { recovered: 0, byState: {} },
    dispatched: 0,
    submissionEnabled: cfg.submissionEnabled,
    receipts: {},
  };
  try {
    const got = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [...CYCLE_LOCK]);
    if (!got.rows[0]?.ok) return empty;
    try {
      const points = await reportingPoints(pool);
      const slots = await createSlots(pool, now, cfg, points);
      const blocked = await checkConfiguration(pool, cfg, points);
      const fill = await fillSlots(pool, now, cfg);
      const recovered = await reconcileLeases(pool, now, cfg);
      const planned = await planSubmissions(pool, now, cfg);
      await input.dispatch(planned);
      const receipts =
        input.sampleReceipts && cfg.submissionEnabled ? await sampleReceipts(pool, now, cfg, input.fetchImpl) : {};
      return {
        ran: true,
        slotsCreated: slots.created,
        catchUp: { created: slots.caughtUp, pointsBehind: slots.pointsBehind },
        blockedPoints: blocked.length,
        fill,
        recovered,
        dispatched: planned.length,
        submissionEnabled: cfg.submissionEnabled,
        receipts,
      };
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1, $2)", [...CYCLE_LOCK]);
    }
  } finally {
    lock.release();
  }
}
