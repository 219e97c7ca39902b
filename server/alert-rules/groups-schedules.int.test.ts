import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { OPERATIONS } from "@/server/api/operations";
import { runOperation } from "@/server/api/run-operation";
import { insertMeasurements } from "@/server/analytics/test-seed";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch, type PipelineDeps } from "@/server/processing/pipeline";
import { insertTagoRaws, seedTagoClient, tagoBody, type Rec } from "@/server/processing/test-fixtures";

const op = (name: string) => OPERATIONS.find((o) => o.name === name)!;
const run = (name: string, input: unknown, who: keyof Fixture["principals"] = "admin") =>
  runOperation(op(name), getDb(), f.principals[who], input);
const MIN = 60_000;
let f: Fixture;
let deps: PipelineDeps;
let clientId: number;
let accountId: number;
let pts: { pointId: number; deviceRef: string }[];
let groupId: number;

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const s = await seedTagoClient(getDb(), { tag: "grp", points: 3, grantedFlowLps: 10, expectedIntervalMin: 1 });
  await getDb().clientModule.createMany({
    data: [
      { clientId: s.clientId, module: "alerts" },
      { clientId: s.clientId, module: "telemetry" },
    ],
  });
  clientId = s.clientId;
  accountId = s.accountId;
  pts = s.points;
  deps = {
    pool: getPgPool(),
    redis: getRedis(),
    prefix: process.env.QUEUE_PREFIX!,
    bindings: new BindingCache(getPgPool(), 0),
    now: () => new Date(),
  };
});
afterAll(closeAll);

/** One reading per minute of flow and level for a point: each minute's values from `at(i)`. */
function minutes(device: string, start: number, n: number, at: (i: number) => { flow: number; level: number }): Rec[] {
  return Array.from({ length: n }, (_, i) => {
    const v = at(i);
    const time = new Date(start + i * MIN);
    return [
      { device, variable: "caudal" as const, value: v.flow, time },
      { device, variable: "nivel" as const, value: v.level, time },
    ];
  }).flat();
}

describe("alert rules per group, with a pump schedule, and built-in defaults overridden per group and point", () => {
  it("manages a group of points; a point is in one group at most", async () => {
    const g = (await run("alertGroups.create", { clientId, name: "Sector norte", pointIds: [pts[0]!.pointId] })) as {
      id: number;
    };
    groupId = g.id;
    const other = (await run("alertGroups.create", { clientId, name: "Sector sur", pointIds: [pts[1]!.pointId] })) as {
      id: number;
    };
    // Moving point 1 into the northern group takes it out of the southern one.
    await run("alertGroups.update", {
      id: groupId,
      name: "Sector norte",
      pointIds: [pts[0]!.pointId, pts[1]!.pointId],
    });
    const list = (await run("alertGroups.list", { clientId })) as { id: number; name: string; pointIds: number[] }[];
    expect(list.map((x) => [x.name, x.pointIds])).toEqual([
      ["Sector norte", [pts[0]!.pointId, pts[1]!.pointId]],
      ["Sector sur", []],
    ]);
    await expect(run("alertGroups.create", { clientId, name: "Sector norte" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(run("alertGroups.delete", { id: other.id }, "managerB")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await run("alertGroups.delete", { id: other.id });
  });

  it("a group rule 'nivel < 12 m durante 30 min, solo con bomba en marcha' fires once on its pumping point and resolves when the pump stops", async () => {
    const created = (await run("alertRules.create", {
      clientId,
      groupId,
      name: "Nivel bajo bombeando",
      variable: "level",
      condition: "below",
      threshold: 12,
      unit: "m",
      durationMin: 30,
      hysteresis: 0.5,
      channels: ["in_app"],
      schedule: { pumpOnAboveLps: 0.5 },
    })) as { id: number; groupId: number };
    expect(created.groupId).toBe(groupId);
    const rules = (await run("alertRules.list", { clientId, pointId: pts[1]!.pointId })) as { text: string }[];
    expect(rules.map((r) => r.text)).toEqual([
      "Nivel < 12 m durante 30 min, solo con bomba en marcha (caudal > 0,5 L/s)",
    ]);
    expect(await run("alertRules.list", { clientId, pointId: pts[2]!.pointId })).toEqual([]);
    // Group defaults: flow over the granted +10 % (instead of 20 %); point 1 switches that rule off.
    await run("alertDefaults.set", {
      clientId,
      groupId,
      type: "flow_above_granted",
      enabled: true,
      params: { grantedFlowTolerance: 0.1 },
    });
    await run("alertDefaults.set", { clientId, pointId: pts[1]!.pointId, type: "flow_above_granted", enabled: false });

    const start = Math.ceil(Date.now() / MIN) * MIN + 5 * MIN;
    deps.now = () => new Date(start + 120 * MIN);
    // Point 0 (group): level 11,5 m for 70 min, pumping 11,5 L/s for the first 45 min, then stopped.
    // Point 1 (group): pumping 11,5 L/s with the level at 13 m. Point 2 (no group): pumping 11,5 L/s at 11,5 m.
    const recs = [
      ...minutes(pts[0]!.deviceRef, start, 70, (i) => ({ flow: i < 45 ? 11.5 : 0, level: 11.5 })),
      ...minutes(pts[1]!.deviceRef, start, 70, () => ({ flow: 11.5, level: 13 })),
      ...minutes(pts[2]!.deviceRef, start, 70, () => ({ flow: 11.5, level: 11.5 })),
    ].sort((a, b) => a.time.getTime() - b.time.getTime());
    for (let i = 0; i < recs.length; i += 60)
      await processRawBatch(deps, await insertTagoRaws(getPgPool(), accountId, [tagoBody(recs.slice(i, i + 60))]));

    const ruled = await getDb().anomaly.findMany({ where: { type: "alert_rule" }, orderBy: { startedAt: "asc" } });
    expect(ruled.map((a) => [a.pointId, a.state])).toEqual([[pts[0]!.pointId, "resolved"]]);
    expect((ruled[0]!.startedAt.getTime() - start) / MIN).toBe(30);
    expect((ruled[0]!.resolvedAt!.getTime() - start) / MIN).toBe(45);
    const state = await getPgPool().query(
      `SELECT point_id, firing_since FROM alert_rule_state WHERE rule_id = $1 ORDER BY point_id`,
      [created.id],
    );
    // Both group points have state; the stopped pump kept point 0 from starting a second episode.
    expect(state.rows.map((r) => [r.point_id, r.firing_since])).toEqual([
      [pts[0]!.pointId, null],
      [pts[1]!.pointId, null],
    ]);

    const over = await getDb().anomaly.findMany({ where: { type: "flow_above_granted" } });
    expect(over.map((a) => a.pointId)).toEqual([pts[0]!.pointId]);
  });

  it("lists the effective built-in settings per target and previews an override on a point's history", async () => {
    type Row = { type: string; enabled: boolean; source: string; params: Record<string, number> };
    const p0 = (await run("alertDefaults.list", { clientId, pointId: pts[0]!.pointId })) as Row[];
    const p1 = (await run("alertDefaults.list", { clientId, pointId: pts[1]!.pointId })) as Row[];
    const p2 = (await run("alertDefaults.list", { clientId, pointId: pts[2]!.pointId })) as Row[];
    const fag = (rows: Row[]) => rows.find((r) => r.type === "flow_above_granted")!;
    expect(fag(p0)).toMatchObject({ enabled: true, source: "group", params: { grantedFlowTolerance: 0.1 } });
    expect(fag(p1)).toMatchObject({ enabled: false, source: "point" });
    expect(fag(p2)).toMatchObject({ enabled: true, source: "default", params: { grantedFlowTolerance: 0.2 } });

    // History of point 2 two days ago: an hour at 11,5 L/s (granted 10 L/s) between hours at 8 L/s.
    const past = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 48 * 3_600_000;
    await insertMeasurements(
      getPgPool(),
      Array.from({ length: 180 }, (_, i) => ({
        pointId: pts[2]!.pointId,
        variable: "flow" as const,
        ts: new Date(past + i * MIN),
        value: i >= 60 && i < 120 ? 11.5 : 8,
      })),
    );
    const preview = (tolerance: number) =>
      run("alertDefaults.preview", {
        clientId,
        previewPointId: pts[2]!.pointId,
        type: "flow_above_granted",
        enabled: true,
        params: { grantedFlowTolerance: tolerance },
      }) as Promise<{ hours: number; episodes: unknown[]; sentence: string }>;
    expect((await preview(0.2)).hours).toBe(0);
    const strict = await preview(0.1);
    expect(strict.episodes).toHaveLength(1);
    expect(strict.sentence).toMatch(/^Esta regla habría disparado 1 vez en los últimos 30 días/);
    // A client-wide setting previewed on point 1 is shadowed by that point's own override.
    const shadowed = (await run("alertDefaults.preview", {
      clientId,
      previewPointId: pts[1]!.pointId,
      type: "flow_above_granted",
      enabled: true,
      params: {},
    })) as { shadowedBy: string | null; hours: number };
    expect(shadowed).toMatchObject({ shadowedBy: "point", hours: 0 });
    await run("alertDefaults.reset", { clientId, pointId: pts[1]!.pointId, type: "flow_above_granted" });
    expect(fag((await run("alertDefaults.list", { clientId, pointId: pts[1]!.pointId })) as Row[]).source).toBe(
      "group",
    );
  });

  it("a point leaving the group drops its episode state for the group's rules", async () => {
    expect(await getDb().alertRuleState.count({ where: { pointId: pts[1]!.pointId } })).toBe(1);
    await run("alertGroups.update", { id: groupId, name: "Sector norte", pointIds: [pts[0]!.pointId] });
    expect(await getDb().alertRuleState.count({ where: { pointId: pts[1]!.pointId } })).toBe(0);
    expect(await getDb().alertRuleState.count({ where: { pointId: pts[0]!.pointId } })).toBe(1);
  });
});
