import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { OPERATIONS } from "@/server/api/operations";
import { runOperation } from "@/server/api/run-operation";
import { insertMeasurements, type SeedRow } from "@/server/analytics/test-seed";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch, type PipelineDeps } from "@/server/processing/pipeline";
import { insertTagoRaws, seedTagoClient, tagoBody, type Rec } from "@/server/processing/test-fixtures";
import { sweepNoDataRules } from "./sweep";

const op = (name: string) => OPERATIONS.find((o) => o.name === name)!;
const MIN = 60_000;
let f: Fixture;
let deps: PipelineDeps;
let point: { pointId: number; deviceRef: string };
let accountId: number;
let clientId: number;
const rule = {
  name: "Nivel bajo",
  variable: "level",
  condition: "below",
  threshold: 12,
  unit: "m",
  durationMin: 30,
  hysteresis: 0.5,
  severity: "warning",
  channels: ["in_app"],
};

/** Level readings every `stepMin` from `start`: each segment is [minutes, value]. */
function levelSegments(start: number, stepMin: number, segments: [number, number][]): { ts: Date; value: number }[] {
  const out: { ts: Date; value: number }[] = [];
  let t = start;
  for (const [minutes, value] of segments) {
    for (let m = 0; m < minutes; m += stepMin, t += stepMin * MIN) out.push({ ts: new Date(t), value });
  }
  return out;
}

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const s = await seedTagoClient(getDb(), { tag: "rules", points: 1, expectedIntervalMin: 1 });
  await getDb().clientModule.createMany({
    data: [
      { clientId: s.clientId, module: "alerts" },
      { clientId: s.clientId, module: "telemetry" },
    ],
  });
  point = s.points[0]!;
  accountId = s.accountId;
  clientId = s.clientId;
  deps = {
    pool: getPgPool(),
    redis: getRedis(),
    prefix: process.env.REDIS_NAMESPACE!,
    bindings: new BindingCache(getPgPool(), 0),
    now: () => new Date(),
  };
});
afterAll(closeAll);

describe("alert rules: preview, then live episodes", () => {
  it("previews 'nivel < 12 m durante 30 min' over the last 30 days", async () => {
    // Every 15 min over the last ~10 days: three dips of 45–90 min (fire), two of 15 min (do not), one of 60 min at 12,2 m (inside the band, no fire).
    const start = Date.now() - 10 * 86_400_000;
    const history = levelSegments(start, 15, [
      [600, 13],
      [45, 11.6],
      [300, 13],
      [15, 11.0],
      [300, 13],
      [90, 11.2],
      [200, 12.9],
      [15, 11.9],
      [400, 13],
      [60, 12.2],
      [300, 13],
      [60, 11.8],
      [300, 13],
    ]);
    await insertMeasurements(
      getPgPool(),
      history.map((h): SeedRow => ({ pointId: point.pointId, variable: "level", ts: h.ts, value: h.value })),
    );
    const p = (await runOperation(op("alertRules.preview"), getDb(), f.principals.admin, {
      id: point.pointId,
      rule,
    })) as { fires: number; sentence: string; text: string; samples: number };
    expect(p.samples).toBe(history.length);
    expect(p.text).toBe("Nivel < 12 m durante 30 min");
    expect(p.fires).toBe(3);
    expect(p.sentence).toBe("Esta regla habría disparado 3 veces en los últimos 30 días.");
    // A stricter rule fires less: the preview is the answer to alarm floods.
    const strict = (await runOperation(op("alertRules.preview"), getDb(), f.principals.admin, {
      id: point.pointId,
      rule: { ...rule, durationMin: 60 },
    })) as { fires: number };
    expect(strict.fires).toBe(1);
  });

  it("fires once per episode on live data through the processor, across batches, and resolves", async () => {
    const created = (await runOperation(op("alertRules.create"), getDb(), f.principals.admin, {
      clientId,
      pointId: point.pointId,
      ...rule,
    })) as { id: number };
    expect(created.id).toBeGreaterThan(0);
    // Live minute data after the seeded history: 40 min below (episode 1), back above the band, 20 min below (too short), 45 min below (episode 2).
    const liveStart = Math.ceil(Date.now() / MIN) * MIN + 5 * MIN;
    const live = levelSegments(liveStart, 1, [
      [20, 13],
      [40, 11.7],
      [20, 12.8],
      [20, 11.8],
      [20, 12.9],
      [45, 11.5],
    ]);
    const recs: Rec[] = live.map((l) => ({ device: point.deviceRef, variable: "nivel", value: l.value, time: l.ts }));
    deps.now = () => new Date(liveStart + 200 * MIN);
    for (let i = 0; i < recs.length; i += 10)
      await processRawBatch(deps, await insertTagoRaws(getPgPool(), accountId, [tagoBody(recs.slice(i, i + 10))]));
    const anomalies = await getDb().anomaly.findMany({
      where: { pointId: point.pointId, type: "alert_rule" },
      orderBy: { startedAt: "asc" },
    });
    expect(anomalies).toHaveLength(2);
    expect(anomalies[0]!.state).toBe("resolved");
    expect(anomalies[1]!.state).toBe("open");
    const firedAfterMin = (anomalies[0]!.startedAt.getTime() - (liveStart + 20 * MIN)) / MIN;
    expect(firedAfterMin).toBeGreaterThanOrEqual(30);
    expect(firedAfterMin).toBeLessThanOrEqual(32);
    expect(anomalies[0]!.reason).toMatch(/^Nivel bajo: Nivel < 12 m durante 30 min: 11,70 m$/);
    const notes = await getDb().notification.findMany({ where: { clientId, event: "alert_rule" } });
    expect(notes).toHaveLength(2);
    expect(notes[0]!.title).toBe(`Nivel bajo — Pozo rules-0`);

    // Replaying the same raw payloads (reprocess) does not fire again: the state has seen those instants.
    const again = levelSegments(liveStart + 165 * MIN, 1, [[10, 11.4]]);
    await processRawBatch(
      deps,
      await insertTagoRaws(getPgPool(), accountId, [
        tagoBody(
          again.map((l) => ({ device: point.deviceRef, variable: "nivel" as const, value: l.value, time: l.ts })),
        ),
      ]),
    );
    expect(await getDb().anomaly.count({ where: { pointId: point.pointId, type: "alert_rule" } })).toBe(2);
    const state = await getPgPool().query(`SELECT firing_since, anomaly_id FROM alert_rule_state WHERE rule_id = $1`, [
      created.id,
    ]);
    expect(state.rows[0].anomaly_id).toBe(anomalies[1]!.id);
  });

  it("lists the rule with its text, updates it (state reset) and deletes it; another tenant cannot see it", async () => {
    const list = (await runOperation(op("alertRules.list"), getDb(), f.principals.admin, {
      clientId,
      pointId: point.pointId,
    })) as { id: number; text: string }[];
    expect(list.map((r) => r.text)).toEqual(["Nivel < 12 m durante 30 min"]);
    const id = list[0]!.id;
    await runOperation(op("alertRules.update"), getDb(), f.principals.admin, { id, ...rule, threshold: 10, unit: "m" });
    expect(await getDb().alertRuleState.count({ where: { ruleId: id } })).toBe(0);
    await expect(
      runOperation(op("alertRules.update"), getDb(), f.principals.admin, { id, ...rule, unit: "L/s" }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(runOperation(op("alertRules.delete"), getDb(), f.principals.managerB, { id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await runOperation(op("alertRules.delete"), getDb(), f.principals.admin, { id });
    expect(await getDb().alertRule.count({ where: { id } })).toBe(0);
  });

  it("a no_data rule fires live from the sweep once the point is silent, once, and the next reading resolves it", async () => {
    await runOperation(op("alertRules.create"), getDb(), f.principals.admin, {
      clientId,
      pointId: point.pointId,
      name: "Sin caudal",
      variable: "flow",
      condition: "no_data",
      threshold: 0,
      unit: "L/s",
      durationMin: 10,
      channels: ["in_app"],
    });
    const t = Math.ceil(Date.now() / MIN) * MIN + 400 * MIN;
    deps.now = () => new Date(t + 120 * MIN);
    const flow = (start: number, n: number): Rec[] =>
      Array.from({ length: n }, (_, i) => ({
        device: point.deviceRef,
        variable: "caudal",
        value: 20,
        time: new Date(start + i * MIN),
      }));
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), accountId, [tagoBody(flow(t, 5))]));
    const lastTs = t + 4 * MIN;
    expect((await sweepNoDataRules(getPgPool(), new Date(lastTs + 9 * MIN))).fired).toBe(0);
    expect((await sweepNoDataRules(getPgPool(), new Date(lastTs + 11 * MIN))).fired).toBe(1);
    expect((await sweepNoDataRules(getPgPool(), new Date(lastTs + 30 * MIN))).fired).toBe(0);
    const silent = await getDb().anomaly.findFirstOrThrow({
      where: { pointId: point.pointId, type: "alert_rule", reason: { startsWith: "Sin caudal" } },
    });
    expect(silent.state).toBe("open");
    expect(silent.startedAt.getTime()).toBe(lastTs + 10 * MIN);
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), accountId, [tagoBody(flow(lastTs + 40 * MIN, 2))]));
    expect((await getDb().anomaly.findUniqueOrThrow({ where: { id: silent.id } })).state).toBe("resolved");
    expect(
      await getDb().anomaly.count({
        where: { pointId: point.pointId, type: "alert_rule", reason: { startsWith: "Sin caudal" } },
      }),
    ).toBe(1);
  });
});
