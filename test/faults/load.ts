import { expect } from "vitest";
import { getPgPool } from "@/server/pg";
import { getQueue } from "@/server/queues/connection";
import { enqueueProcessRaw, processRawJob } from "@/server/processing/jobs";
import { insertRawPayloads } from "@/server/ingest/raw-store";
import { minuteSeries, tagoBody } from "@/server/processing/test-fixtures";
import { sleep, waitFor } from "./children";

const MINUTE_MS = 60_000;
const T0_MS = Date.parse("2026-09-01T00:00:00Z");
/** flow, totalizer, level and the derived water_table. */
const ROWS_PER_MINUTE = 4;

export interface ProducerStats {
  payloads: number;
  insertErrors: number;
  enqueueErrors: number;
  /** Measurement rows the stored payloads must yield, per device. */
  rowsByDevice: Map<string, number>;
}

/**
 * A provider-like load: payloads of `minutesPerPayload` minutes, round-robin over devices, each
 * stored raw first and then enqueued. A failed insert is retried with the same body (the device
 * sends it again); a failed or hanging enqueue is given up after `enqueueTimeoutMs` (raw first: the sweeper owns it).
 */
export function startProducer(opts: {
  accountId: number;
  devices: readonly string[];
  minutesPerPayload: number;
  pauseMs: number;
  enqueueTimeoutMs?: number;
}) {
  const stats: ProducerStats = {
    payloads: 0,
    insertErrors: 0,
    enqueueErrors: 0,
    rowsByDevice: new Map(opts.devices.map((d) => [d, 0])),
  };
  const cursorMin = new Map(opts.devices.map((d) => [d, 0]));
  let stopping = false;
  let turn = 0;
  const loop = (async () => {
    while (!stopping) {
      const device = opts.devices[turn % opts.devices.length]!;
      const start = new Date(T0_MS + cursorMin.get(device)! * MINUTE_MS);
      const body = tagoBody(minuteSeries(device, start, opts.minutesPerPayload));
      let ids: string[];
      try {
        ids = await insertRawPayloads(getPgPool(), [
          { provider: "tago", accountId: opts.accountId, bindingId: null, transport: "pull", body },
        ]);
      } catch {
        stats.insertErrors += 1;
        await sleep(100);
        continue;
      }
      turn += 1;
      stats.payloads += 1;
      cursorMin.set(device, cursorMin.get(device)! + opts.minutesPerPayload);
      stats.rowsByDevice.set(device, stats.rowsByDevice.get(device)! + opts.minutesPerPayload * ROWS_PER_MINUTE);
      const enqueued = enqueueProcessRaw(ids).then(
        () => true,
        () => false,
      );
      if (!(await Promise.race([enqueued, sleep(opts.enqueueTimeoutMs ?? 1_000).then(() => false)])))
        stats.enqueueErrors += 1;
      if (opts.pauseMs) await sleep(opts.pauseMs);
    }
  })();
  return {
    stats,
    async stop(): Promise<ProducerStats> {
      stopping = true;
      await loop;
      return stats;
    },
  };
}

export const unprocessedCount = async () =>
  (await getPgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM raw_payload WHERE status = 'accepted'`))
    .rows[0]!.n;

export const queueBusy = async () =>
  getQueue(processRawJob.queue).getJobCountByTypes("wait", "active", "delayed", "prioritized", "waiting-children");

/** Waits until the processor has nothing left to do and every stored payload is processed. */
export async function waitDrained(timeoutMs: number): Promise<void> {
  await waitFor(
    async () => (await unprocessedCount()) === 0 && (await queueBusy()) === 0,
    timeoutMs,
    "every raw payload processed",
  );
}

/** Waits until the queue has been idle for `quietMs` (jobs lost with Redis can no longer be picked up). */
export async function waitQueueIdle(timeoutMs: number, quietMs = 1_500): Promise<void> {
  let idleSince = 0;
  await waitFor(
    async () => {
      if ((await queueBusy()) > 0) idleSince = 0;
      else idleSince ||= Date.now();
      return idleSince > 0 && Date.now() - idleSince >= quietMs;
    },
    timeoutMs,
    "process-raw queue idle",
  );
}

/** Every reading produced is in `measurement` exactly once; rollups agree; nothing was set aside as a conflict. */
export async function expectExactlyOnce(
  points: readonly { pointId: number; deviceRef: string }[],
  stats: ProducerStats,
): Promise<void> {
  const pool = getPgPool();
  const r = await pool.query<{ point_id: number; n: number; distinct_keys: number; bad: number }>(
    `SELECT point_id, count(*)::int AS n, count(DISTINCT (variable, ts))::int AS distinct_keys,
       count(*) FILTER (WHERE ts < $1 OR extract(second FROM ts) <> 0)::int AS bad
     FROM measurement GROUP BY point_id ORDER BY point_id`,
    [new Date(T0_MS)],
  );
  const expected = points
    .filter((p) => stats.rowsByDevice.get(p.deviceRef)! > 0)
    .map((p) => ({
      point_id: p.pointId,
      n: stats.rowsByDevice.get(p.deviceRef)!,
      distinct_keys: stats.rowsByDevice.get(p.deviceRef)!,
      bad: 0,
    }));
  expect(r.rows).toEqual(expected);
  const total = expected.reduce((a, x) => a + x.n, 0);
  expect((await pool.query(`SELECT count(*)::int AS n FROM measurement_conflict`)).rows[0].n).toBe(0);
  expect(
    (await pool.query(`SELECT coalesce(sum(count + excluded), 0)::int AS n FROM measurement_hourly`)).rows[0].n,
  ).toBe(total);
  expect((await pool.query(`SELECT count(*)::int AS n FROM raw_payload WHERE status <> 'processed'`)).rows[0].n).toBe(
    0,
  );
}
