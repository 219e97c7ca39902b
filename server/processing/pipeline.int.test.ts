import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { realtimeKeys } from "@/server/realtime/latest";
import { BindingCache } from "./bindings";
import { processRawBatch, type PipelineDeps } from "./pipeline";
import { insertTagoRaws, minuteSeries, seedTagoClient, shuffled, tagoBody } from "./test-fixtures";

const prefix = process.env.REDIS_NAMESPACE!;
let deps: PipelineDeps;
const T0 = new Date("2026-03-10T10:00:00Z");
const NOW = () => new Date("2026-03-11T00:00:00Z");

beforeAll(async () => {
  await truncateAll();
  deps = { pool: getPgPool(), redis: getRedis(), prefix, bindings: new BindingCache(getPgPool(), 0), now: NOW };
});
afterAll(closeAll);

async function measurementRows(pointId: number) {
  const r = await getPgPool().query(
    `SELECT variable, ts, value, raw_value, quality, reason FROM measurement WHERE point_id = $1 ORDER BY variable, ts`,
    [pointId],
  );
  return r.rows;
}
async function rollups(table: "measurement_hourly" | "measurement_daily", pointId: number) {
  const r = await getPgPool().query(
    `SELECT variable, bucket, min, max, avg, last, count, excluded, consumption_m3, worst_quality FROM ${table} WHERE point_id = $1 ORDER BY variable, bucket`,
    [pointId],
  );
  return r.rows.map((x) => ({
    ...x,
    avg: x.avg === null ? null : Math.round(x.avg * 1e6) / 1e6,
    consumption_m3: x.consumption_m3 === null ? null : Math.round(x.consumption_m3 * 1e6) / 1e6,
  }));
}

describe("processRawBatch", () => {
  it("is idempotent: the same job twice (and a replay) gives the same rows", async () => {
    const s = await seedTagoClient(getDb(), { tag: "idem", points: 1 });
    const p = s.points[0]!;
    const recs = minuteSeries(p.deviceRef, T0, 120);
    const ids = await insertTagoRaws(
      getPgPool(),
      s.accountId,
      [0, 1, 2, 3].map((k) => tagoBody(recs.slice(k * 90, (k + 1) * 90))),
    );
    const first = await processRawBatch(deps, ids);
    expect(first.inserted).toBe(480); // 120 min × (flow, totalizer, level, water_table)
    const snap = {
      m: await measurementRows(p.pointId),
      h: await rollups("measurement_hourly", p.pointId),
      d: await rollups("measurement_daily", p.pointId),
    };
    const again = await processRawBatch(deps, ids);
    expect(again.skipped).toBe(4);
    const replay = await processRawBatch(deps, ids, { reprocess: true });
    expect(replay.inserted).toBe(0);
    expect({
      m: await measurementRows(p.pointId),
      h: await rollups("measurement_hourly", p.pointId),
      d: await rollups("measurement_daily", p.pointId),
    }).toEqual(snap);
    const raw = await getPgPool().query(`SELECT DISTINCT status FROM raw_payload WHERE id = ANY($1::bigint[])`, [ids]);
    expect(raw.rows).toEqual([{ status: "processed" }]);
  });

  it("late, out-of-order and duplicated data give the same rows, flags and consumption as in-order data", async () => {
    const s = await seedTagoClient(getDb(), { tag: "order", points: 2 });
    const [a, b] = [s.points[0]!, s.points[1]!];
    // A spike at minute 70 and a stopped pump later, so neighbour-dependent flags are exercised.
    const flow = (i: number) => (i === 70 ? 400 : i > 150 ? 0 : 20 + (i % 4) / 10);
    const recsA = minuteSeries(a.deviceRef, T0, 200, { flowLps: flow });
    const recsB = minuteSeries(b.deviceRef, T0, 200, { flowLps: flow });
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recsA)]));
    const mixed = shuffled([...recsB, ...recsB.slice(100, 260), ...recsB.slice(0, 30)], 7);
    const chunks = Array.from({ length: 9 }, (_, k) => mixed.filter((_r, i) => i % 9 === k));
    for (const c of chunks) await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(c)]));
    expect(await measurementRows(b.pointId)).toEqual(await measurementRows(a.pointId));
    expect(await rollups("measurement_hourly", b.pointId)).toEqual(await rollups("measurement_hourly", a.pointId));
    const spike = (await measurementRows(a.pointId)).find(
      (r) => r.variable === 1 && r.ts.getTime() === T0.getTime() + 70 * 60_000,
    );
    expect(spike?.quality).toBe(4);
    const cons = await getPgPool().query(
      `SELECT sum(consumption_m3) AS v FROM measurement_hourly WHERE point_id = $1 AND variable = 2`,
      [a.pointId],
    );
    const totals = recsA.filter((r) => r.variable === "total").map((r) => Number(r.value));
    expect(cons.rows[0].v).toBeCloseTo(totals[totals.length - 1]! - totals[0]!, 6);
  });

  it("captures same-key different-value readings in measurement_conflict once, keeping the first value", async () => {
    const s = await seedTagoClient(getDb(), { tag: "conf", points: 1 });
    const p = s.points[0]!;
    const recs = minuteSeries(p.deviceRef, T0, 30);
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recs)]));
    const ts = new Date(T0.getTime() + 10 * 60_000);
    const clash = [{ device: p.deviceRef, variable: "caudal" as const, value: 99, time: ts }];
    const ids = await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(clash), tagoBody(clash)]);
    await processRawBatch(deps, ids);
    await processRawBatch(deps, ids, { reprocess: true });
    const c = await getPgPool().query(`SELECT value, raw_value FROM measurement_conflict WHERE point_id = $1`, [
      p.pointId,
    ]);
    expect(c.rows).toEqual([{ value: 99, raw_value: "99" }]);
    const m = await getPgPool().query(
      `SELECT value, quality FROM measurement WHERE point_id = $1 AND variable = 1 AND ts = $2`,
      [p.pointId, ts],
    );
    expect(m.rows[0].value).not.toBe(99);
    expect(m.rows[0].quality).toBe(10);
  });

  it("keeps hourly and daily rollups consistent with the rows", async () => {
    const s = await seedTagoClient(getDb(), { tag: "roll", points: 1 });
    const p = s.points[0]!;
    const recs = minuteSeries(p.deviceRef, new Date("2026-03-10T02:30:00Z"), 180);
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recs)]));
    const pool = getPgPool();
    const byHour = await pool.query(
      `SELECT date_trunc('hour', ts, 'UTC') AS bucket, min(value), max(value), count(*)::int AS count FROM measurement WHERE point_id = $1 AND variable = 1 GROUP BY 1 ORDER BY 1`,
      [p.pointId],
    );
    const hourly = await pool.query(
      `SELECT bucket, min, max, count FROM measurement_hourly WHERE point_id = $1 AND variable = 1 ORDER BY bucket`,
      [p.pointId],
    );
    expect(hourly.rows).toEqual(byHour.rows);
    const daily = await pool.query(
      `SELECT bucket, count, consumption_m3 FROM measurement_daily WHERE point_id = $1 AND variable = 2 ORDER BY bucket`,
      [p.pointId],
    );
    // 02:30Z–05:29Z spans the Santiago days of 9 March (until 03:00Z, UTC-3 in March) and 10 March.
    expect(daily.rows.map((r) => r.count)).toEqual([30, 150]);
    const totals = recs.filter((r) => r.variable === "total").map((r) => Number(r.value));
    expect(daily.rows.reduce((sum, r) => sum + r.consumption_m3, 0)).toBeCloseTo(
      totals[totals.length - 1]! - totals[0]!,
      6,
    );
  });

  it("publishes the latest values per point to Redis", async () => {
    const s = await seedTagoClient(getDb(), { tag: "rt", points: 1 });
    const p = s.points[0]!;
    const recs = minuteSeries(p.deviceRef, T0, 10);
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recs)]));
    // Older data arriving late must not move "latest" backwards.
    await processRawBatch(
      deps,
      await insertTagoRaws(getPgPool(), s.accountId, [
        tagoBody(minuteSeries(p.deviceRef, new Date(T0.getTime() - 3600_000), 5)),
      ]),
    );
    const h = await getRedis().hgetall(realtimeKeys.point(prefix, p.pointId));
    const flow = JSON.parse(h["v:flow"]!.split("|")[1]!);
    expect(flow.ts).toBe(new Date(T0.getTime() + 9 * 60_000).toISOString());
    expect(Number(h.seen)).toBe(T0.getTime() + 9 * 60_000);
    expect(h.status).toBe("online");
  });

  it("groups anomalies (one open anomaly, count grows, re-runs change nothing) and notifies once", async () => {
    const s = await seedTagoClient(getDb(), { tag: "anom", points: 1, grantedFlowLps: 10 });
    const p = s.points[0]!;
    await getDb().notificationRule.create({
      data: { clientId: s.clientId, name: "r", events: ["flow_above_granted"], channel: "in_app", target: "-" },
    });
    const ids1 = await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(minuteSeries(p.deviceRef, T0, 20))]);
    const ids2 = await insertTagoRaws(getPgPool(), s.accountId, [
      tagoBody(minuteSeries(p.deviceRef, new Date(T0.getTime() + 20 * 60_000), 20)),
    ]);
    await processRawBatch(deps, ids1);
    await processRawBatch(deps, ids2);
    await processRawBatch(deps, [...ids1, ...ids2], { reprocess: true });
    const a = await getPgPool().query(`SELECT type, count, state FROM anomaly WHERE point_id = $1`, [p.pointId]);
    expect(a.rows).toEqual([{ type: "flow_above_granted", count: 40, state: "open" }]);
    const n = await getPgPool().query(`SELECT channel, event, status FROM notification WHERE client_id = $1`, [
      s.clientId,
    ]);
    expect(n.rows).toEqual([{ channel: "in_app", event: "flow_above_granted", status: "sent" }]);
  });

  it("rejects unparseable payloads with the reason and keeps them", async () => {
    const s = await seedTagoClient(getDb(), { tag: "rej", points: 1 });
    const ids = await insertTagoRaws(getPgPool(), s.accountId, [
      "{not json",
      JSON.stringify({ status: false, message: "Authorization denied" }),
    ]);
    const st = await processRawBatch(deps, ids);
    expect(st.rejected).toBe(2);
    const r = await getPgPool().query(
      `SELECT status, error FROM raw_payload WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    expect(r.rows.map((x) => x.status)).toEqual(["rejected", "rejected"]);
    expect(r.rows[1].error).toContain("Authorization denied");
  });
});
