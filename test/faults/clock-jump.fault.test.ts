import { afterAll, beforeAll, expect, it } from "vitest";
import { QUALITY, nameOf } from "@/domain/measurements/quality";
import { consumptionDeltas, totalConsumptionM3 } from "@/domain/measurements/consumption";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { queuePrefix } from "@/server/queues/connection";
import { readSeen } from "@/server/realtime/latest";
import { fillSlots } from "@/server/dga/fill";
import { createPoint, startHarness, type Harness } from "@/server/dga/test-harness";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch } from "@/server/processing/pipeline";
import { insertTagoRaws, minuteSeries, tagoBody } from "@/server/processing/test-fixtures";

const HOUR_MS = 3600_000;
const MINUTES = 60;
const ROWS = MINUTES * 4; // flow, totalizer, level, water_table
const NOW = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 30 * 60_000);
const NORMAL_AT = new Date(NOW.getTime() - 30 * 60_000 - 2 * HOUR_MS);
const FUTURE_AT = new Date(Date.UTC(NOW.getUTCFullYear() + 3, NOW.getUTCMonth(), 1, 12)); // device clock 3 years ahead
const PAST_AT = new Date("2001-03-10T10:00:00Z"); // a second device whose clock sits at its factory date
const monthPartition = (d: Date) => `measurement_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
let h: Harness;

beforeAll(async () => {
  await truncateAll();
  h = await startHarness();
});
afterAll(async () => {
  await h.sandbox.close();
  await closeAll();
});

async function bindTago(pointId: number, accountId: number, deviceRef: string) {
  await getDb().pointBinding.create({
    data: {
      pointId,
      accountId,
      deviceRef,
      variables: {
        create: [
          { variable: "flow", key: "caudal", unit: "L/s" },
          { variable: "totalizer", key: "total", unit: "m3" },
          { variable: "level", key: "nivel", unit: "m" },
        ],
      },
    },
  });
}

it("clock jumps (+3 years, 2001): readings kept, future ones flagged and left out of consumption and DGA, partitions handled", async () => {
  const db = getDb();
  const pool = getPgPool();
  const point = await createPoint(h);
  const oldClock = await createPoint(h);
  const account = await db.providerAccount.create({
    data: { clientId: h.clientId, kind: "tago", name: "Tago clock", baseUrl: "http://127.0.0.1:1" },
  });
  await bindTago(point.id, account.id, "dev-clock");
  await bindTago(oldClock.id, account.id, "dev-2001");
  // A row written outside the pipeline before its month partition existed lands in the default partition.
  await pool.query(
    `INSERT INTO measurement (point_id, variable, ts, value, quality, source) VALUES ($1, $2, '2001-03-01T00:00:00Z', 31.5, 0, 'legacy-import')`,
    [oldClock.id, VARIABLE_CODE.level],
  );
  expect(
    (await pool.query(`SELECT tableoid::regclass::text AS part FROM measurement WHERE point_id = $1`, [oldClock.id]))
      .rows,
  ).toEqual([{ part: "measurement_default" }]);

  const bodies = [NORMAL_AT, FUTURE_AT, new Date(NORMAL_AT.getTime() + HOUR_MS)].map((t) =>
    tagoBody(minuteSeries("dev-clock", t, MINUTES)),
  );
  bodies.push(tagoBody(minuteSeries("dev-2001", PAST_AT, MINUTES)));
  const ids = await insertTagoRaws(pool, account.id, bodies);
  const deps = { pool, redis: getRedis(), prefix: queuePrefix(), bindings: new BindingCache(pool, 0), now: () => NOW };
  const stats = await processRawBatch(deps, ids);
  expect(stats).toMatchObject({ raws: 4, rejected: 0, rows: 4 * ROWS });
  expect(
    (
      await pool.query(
        `SELECT status, count(*)::int AS n FROM raw_payload WHERE id = ANY($1::bigint[]) GROUP BY status`,
        [ids],
      )
    ).rows,
  ).toEqual([{ status: "processed", n: 4 }]);

  // Never lost: every reading has its row, each in its month's partition; the default partition is empty.
  const parts = await pool.query<{ part: string; n: number; future: number }>(
    `SELECT tableoid::regclass::text AS part, count(*)::int AS n, count(*) FILTER (WHERE quality = $2)::int AS future FROM measurement WHERE point_id = ANY($1::int[]) GROUP BY 1 ORDER BY 1`,
    [[point.id, oldClock.id], QUALITY.future],
  );
  const expected = new Map<string, { n: number; future: number }>();
  const add = (part: string, n: number, future = 0) =>
    expected.set(part, { n: (expected.get(part)?.n ?? 0) + n, future: (expected.get(part)?.future ?? 0) + future });
  add(monthPartition(PAST_AT), ROWS + 1);
  add(monthPartition(NORMAL_AT), ROWS);
  add(monthPartition(new Date(NORMAL_AT.getTime() + HOUR_MS)), ROWS);
  add(monthPartition(FUTURE_AT), ROWS, ROWS);
  expect(parts.rows).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([part, v]) => ({ part, ...v })));

  // Past readings are ordinary data; future ones are all flagged and counted as excluded, never as consumption.
  const flaggedOutsideFuture = await pool.query(
    `SELECT count(*)::int AS n FROM measurement WHERE point_id = ANY($1::int[]) AND quality = $2 AND ts < $3`,
    [[point.id, oldClock.id], QUALITY.future, NOW],
  );
  expect(flaggedOutsideFuture.rows[0].n).toBe(0);
  const futureHours = await pool.query(
    `SELECT coalesce(sum(count), 0)::int AS counted, coalesce(sum(excluded), 0)::int AS excluded, coalesce(sum(consumption_m3), 0)::float8 AS m3
     FROM measurement_hourly WHERE point_id = $1 AND bucket >= $2`,
    [point.id, NOW],
  );
  expect(futureHours.rows[0]).toEqual({ counted: 0, excluded: ROWS, m3: 0 });
  const pastM3 = await pool.query(
    `SELECT sum(consumption_m3)::float8 AS m3 FROM measurement_hourly WHERE point_id = $1`,
    [oldClock.id],
  );
  expect(pastM3.rows[0].m3).toBeGreaterThan(0);
  // The realtime "last seen" ignores the future readings, so offline detection keeps working.
  const seen = (await readSeen(getRedis(), queuePrefix(), [point.id])).get(point.id);
  expect(seen?.seenMs).toBe(NORMAL_AT.getTime() + HOUR_MS + (MINUTES - 1) * 60_000);

  // DGA: a slot fills from the normal readings; one at the future instant is never filled from them.
  const normalSlotAt = new Date(Math.ceil(NORMAL_AT.getTime() / HOUR_MS) * HOUR_MS);
  const [normal, future] = await Promise.all(
    [normalSlotAt, FUTURE_AT].map((slotAt) =>
      db.dgaSlot.create({ data: { pointId: point.id, slotAt, standard: "mayor", state: "empty", reasons: [] } }),
    ),
  );
  await fillSlots(pool, NOW, h.cfg);
  expect(await db.dgaSlot.findUniqueOrThrow({ where: { id: normal!.id } })).toMatchObject({
    state: "pending",
    flowLps: expect.any(Number),
  });
  expect(await db.dgaSlot.findUniqueOrThrow({ where: { id: future!.id } })).toMatchObject({
    state: "empty",
    flowLps: null,
    totalizerM3: null,
  });
  await fillSlots(pool, new Date(FUTURE_AT.getTime() + 5 * 60_000), h.cfg); // even once that instant comes, the flagged readings are not sent as good data
  expect((await db.dgaSlot.findUniqueOrThrow({ where: { id: future!.id } })).state).not.toBe("pending");
});

// A totalizer delta used to be spread over every hour it spans, so a device whose clock jumped back a year wrote ~8,760
// hourly rollups in one batch (~220,000 for 2001, > 5 min holding the point's lock). Silent gaps over 7 days are now
// booked to the hour of the later reading (domain MAX_SPREAD_MS).
it("a clock jump back on the same device does not blow up the rollups, and no volume is lost", async () => {
  const pool = getPgPool();
  const point = await createPoint(h);
  const account = await getDb().providerAccount.create({
    data: { clientId: h.clientId, kind: "tago", name: "Tago jump", baseUrl: "http://127.0.0.1:1" },
  });
  await bindTago(point.id, account.id, "dev-jump");
  const ids = await insertTagoRaws(
    pool,
    account.id,
    [NORMAL_AT, new Date(NORMAL_AT.getTime() - 365 * 24 * HOUR_MS)].map((t) =>
      tagoBody(minuteSeries("dev-jump", t, MINUTES)),
    ),
  );
  await processRawBatch(
    { pool, redis: null, prefix: queuePrefix(), bindings: new BindingCache(pool, 0), now: () => NOW },
    ids,
  );
  const hourly = await pool.query(
    `SELECT count(*)::int AS n, sum(consumption_m3)::float8 AS m3 FROM measurement_hourly WHERE point_id = $1`,
    [point.id],
  );
  expect(hourly.rows[0].n).toBeLessThanOrEqual(7 * 24 * 4);
  // Booked, not lost: the rollups hold exactly the volume of the stored totalizer series (the drop back counts as a reset).
  const tot = await pool.query<{ ts: Date; value: number; quality: number }>(
    `SELECT ts, value, quality FROM measurement WHERE point_id = $1 AND variable = $2`,
    [point.id, VARIABLE_CODE.totalizer],
  );
  const deltas = consumptionDeltas({
    rows: tot.rows.map((r) => ({ ts: r.ts, value: r.value, rawValue: null, quality: nameOf(r.quality), reason: null })),
  });
  expect(deltas.some((d) => d.bookedAtEnd)).toBe(true);
  expect(hourly.rows[0].m3).toBeCloseTo(totalConsumptionM3(deltas), 6);
});
