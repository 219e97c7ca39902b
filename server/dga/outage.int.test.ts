import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { dueSlots } from "@/domain/dga/slots";
import { DEFAULT_STANDARDS } from "@/domain/dga/standards";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { calendar } from "./compliance-read";
import { fillSlots } from "./fill";
import { dgaHealth } from "./health";
import { expectCompliance, MIN_MS, readingAt, runWorker, tick, type PointUnderTest } from "./test-clock";
import { createPoint, HOUR_MS, records, startHarness, type Harness } from "./test-harness";

let h: Harness;
const STEP = 5 * MIN_MS;
const at = (iso: string) => new Date(iso);

beforeEach(async () => {
  await truncateAll();
  h = await startHarness();
});
afterEach(() => h.sandbox.close());
afterAll(closeAll);

/** Live Mayor, Medio and Menor points of one client, all live from `goLiveAt`. */
async function livePoints(goLiveAt: Date): Promise<[PointUnderTest, PointUnderTest, PointUnderTest]> {
  const one = async (standard: "mayor" | "medio" | "menor") => ({
    id: (await createPoint(h, { standard, goLiveAt })).id,
    standard,
    goLiveAt,
  });
  return [await one("mayor"), await one("medio"), await one("menor")];
}

/** Readings at every owed boundary in [from, to], except `skip`. */
async function storeReadings(points: PointUnderTest[], from: Date, to: Date, skip: Date[] = []) {
  for (const p of points) {
    for (const s of dueSlots({ rule: DEFAULT_STANDARDS[p.standard], from, to })) {
      if (!skip.some((x) => x.getTime() === s.getTime())) await readingAt(p.id, s);
    }
  }
}

/** Every POST reached MEE once; per obra, POSTs ≥ 5 min apart (§6.1); no slot has a second attempt. */
async function expectSentOnceAndPaced(points: PointUnderTest[]) {
  const { posts } = await records(h);
  expect(posts.every((p) => p.posts === 1 && p.duplicates === 0 && p.stored)).toBe(true);
  for (const p of points) {
    const { rows } = await getPgPool().query<{ startedAt: Date; n: number }>(
      `SELECT a.started_at AS "startedAt", count(*) OVER (PARTITION BY a.slot_id)::int AS n FROM dga_attempt a JOIN dga_slot s ON s.id = a.slot_id WHERE s.point_id = $1 ORDER BY a.started_at`,
      [p.id],
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
    rows.forEach(
      (r, i) =>
        i > 0 && expect(r.startedAt.getTime() - rows[i - 1]!.startedAt.getTime()).toBeGreaterThanOrEqual(5 * MIN_MS),
    );
  }
  return posts.length;
}

/** Every owed boundary up to `now` has a row. */
async function expectEveryOwedSlotExists(points: PointUnderTest[], now: Date) {
  for (const p of points) {
    const owed = dueSlots({ rule: DEFAULT_STANDARDS[p.standard], from: p.goLiveAt, to: now });
    const rows = await getDb().dgaSlot.findMany({ where: { pointId: p.id, slotAt: { in: owed } } });
    expect(rows.length, `${p.standard} rows`).toBe(owed.length);
  }
  expect((await dgaHealth(getPgPool(), now)).owedWithoutRow).toBe(0);
}

describe("no outage of the DGA worker makes a due hour disappear", () => {
  it("3-day outage: every owed slot is created in 2 cycles, filled ones go out paced and once, empty ones go to review and write-off", async () => {
    const goLive = at("2026-10-29T14:00:00Z");
    const down = at("2026-10-29T17:00:00Z");
    const up = at("2026-11-01T17:00:00Z");
    const points = await livePoints(goLive);
    const [mayor, medio, menor] = points;
    const staleGap = [0, 1, 2, 3, 4].map((i) => new Date(at("2026-10-30T08:00:00Z").getTime() + i * HOUR_MS));
    const late = at("2026-11-01T10:00:00Z");
    const never = at("2026-11-01T12:00:00Z");
    await storeReadings(points, goLive, at("2026-11-02T04:00:00Z"), [...staleGap, late, never]);
    const months = { fromMonth: "2026-10", toMonth: "2026-11" };

    await runWorker(h, goLive, down, STEP);
    expect((await expectCompliance(h, points, down, months)).get(mayor.id)).toMatchObject({
      due: 4,
      sent: 3,
      pending: 1,
      missing: 0,
    });

    // While the worker is down, compliance already tells the truth: the hours without a row are missing.
    const before = await expectCompliance(h, points, up, months);
    expect(before.get(mayor.id)).toMatchObject({ due: 76, sent: 3, missing: 71 });
    expect(before.get(medio.id)).toMatchObject({ due: 3, missing: 3 });
    expect(before.get(menor.id)).toMatchObject({ due: 1, missing: 1 });
    const cal = await calendar(getPgPool(), { clientId: h.clientId, pointId: mayor.id, month: "2026-10" }, up);
    expect(cal.days.find((d) => d.day === "2026-10-30")).toMatchObject({ light: "red", counts: { missing: 24 } });
    expect((await dgaHealth(getPgPool(), up)).owedWithoutRow).toBe(71 + 3 + 1);

    const first = await tick(h, up, STEP);
    expect(first.catchUp).toEqual({ created: 48 + 3 + 1, pointsBehind: 1 });
    expect((await expectCompliance(h, points, up, months)).get(mayor.id)).toMatchObject({ missing: 71 - 48 - 1 });
    const second = await tick(h, new Date(up.getTime() + STEP), STEP);
    expect(second.catchUp).toEqual({ created: 22, pointsBehind: 0 });
    await expectEveryOwedSlotExists(points, new Date(up.getTime() + STEP));
    const stale = await getDb().dgaSlot.findMany({ where: { pointId: mayor.id, slotAt: { in: staleGap } } });
    expect(stale.map((x) => [x.state, x.reasons])).toEqual(staleGap.map(() => ["requires_review", ["no_data_stale"]]));

    // Drain: live hours first, the backlog 5 min apart; the late reading is rescued and sent.
    const end = new Date(up.getTime() + 7 * HOUR_MS);
    await runWorker(h, new Date(up.getTime() + 2 * STEP), end, STEP, async (now) => {
      if (now.getTime() === up.getTime() + 30 * MIN_MS) await readingAt(mayor.id, late);
    });
    await expectEveryOwedSlotExists(points, end);
    const sent = await getDb().dgaSlot.findMany({
      where: { pointId: { in: points.map((p) => p.id) }, state: "sent" },
      orderBy: { slotAt: "asc" },
    });
    const liveAfterRestart = sent.filter((s) => s.pointId === mayor.id && s.slotAt >= up);
    expect(liveAfterRestart.length).toBe(7);
    for (const s of liveAfterRestart) expect(s.sentAt!.getTime() - s.slotAt.getTime()).toBeLessThanOrEqual(10 * MIN_MS);
    expect(sent.find((s) => s.pointId === mayor.id && s.slotAt.getTime() === late.getTime())).toBeDefined();
    const posts = await expectSentOnceAndPaced(points);
    const afterDrain = await expectCompliance(h, points, end, months);
    // 83 owed hours: 5 in review (no data > 48 h), 2 still waiting for data (12:00 and the current 00:00), 76 sent.
    expect(afterDrain.get(mayor.id)).toMatchObject({ due: 83, sent: 76, review: 5, pending: 2, missing: 0 });
    expect(afterDrain.get(medio.id)).toMatchObject({ due: 3, sent: 3, missing: 0 });
    expect(afterDrain.get(menor.id)).toMatchObject({ due: 1, sent: 1, missing: 0 });
    expect(posts).toBe(76 + 3 + 1);

    // The hour that never got data: review after 48 h, written off after 30 days (fill only: no new hours).
    await fillSlots(getPgPool(), new Date(never.getTime() + 49 * HOUR_MS), h.cfg);
    expect(
      await getDb().dgaSlot.findUniqueOrThrow({ where: { pointId_slotAt: { pointId: mayor.id, slotAt: never } } }),
    ).toMatchObject({ state: "requires_review", reasons: ["no_data_stale"] });
    const writeOff = new Date(never.getTime() + 30 * 24 * HOUR_MS);
    await fillSlots(getPgPool(), writeOff, h.cfg);
    expect(
      await getDb().dgaSlot.findUniqueOrThrow({ where: { pointId_slotAt: { pointId: mayor.id, slotAt: never } } }),
    ).toMatchObject({ state: "skipped", reasons: ["no_data_written_off"] });
    await expectCompliance(h, points, writeOff, { fromMonth: "2026-10", toMonth: "2026-12" });
    expect((await records(h)).posts.length).toBe(posts);
  }, 300_000);

  it("6-hour outage across the Medio and Menor boundary: one catch-up cycle, then everything sent once", async () => {
    const goLive = at("2026-11-30T20:00:00Z");
    const down = at("2026-11-30T23:00:00Z");
    const up = at("2026-12-01T05:00:00Z");
    const points = await livePoints(goLive);
    const [mayor, medio, menor] = points;
    await storeReadings(points, goLive, at("2026-12-01T08:00:00Z"));
    const months = { fromMonth: "2026-11", toMonth: "2026-12" };
    await runWorker(h, goLive, down, STEP);
    const before = await expectCompliance(h, points, up, months);
    expect(before.get(mayor.id)).toMatchObject({ due: 10, sent: 3, missing: 5 });
    expect(before.get(medio.id)).toMatchObject({ due: 1, missing: 1 });
    expect(before.get(menor.id)).toMatchObject({ due: 1, missing: 1 });
    expect((await tick(h, up, STEP)).catchUp).toEqual({ created: 5 + 1 + 1, pointsBehind: 0 });
    const end = new Date(up.getTime() + 2 * HOUR_MS + STEP);
    await runWorker(h, new Date(up.getTime() + STEP), end, STEP);
    await expectEveryOwedSlotExists(points, end);
    const after = await expectCompliance(h, points, end, months);
    expect(after.get(mayor.id)).toMatchObject({ due: 12, sent: 12, missing: 0 });
    expect(after.get(medio.id)).toMatchObject({ due: 1, sent: 1 });
    expect(after.get(menor.id)).toMatchObject({ due: 1, sent: 1 });
    expect(await expectSentOnceAndPaced(points)).toBe(14);
  }, 180_000);

  it("an unsent row deleted by hand is recreated by the next cycle (the cursor rewinds), never lost", async () => {
    const goLive = at("2026-11-20T10:00:00Z");
    const [mayor] = await livePoints(goLive);
    await storeReadings([mayor], goLive, at("2026-11-20T11:00:00Z"));
    await runWorker(h, goLive, at("2026-11-20T15:00:00Z"), STEP);
    const victims = [at("2026-11-20T12:00:00Z"), at("2026-11-20T13:00:00Z"), at("2026-11-20T14:00:00Z")];
    await getDb().dgaSlot.deleteMany({ where: { pointId: mayor.id, slotAt: { in: victims } } });
    expect((await dgaHealth(getPgPool(), at("2026-11-20T15:00:00Z"))).owedWithoutRow).toBe(3);
    await tick(h, at("2026-11-20T15:00:00Z"), STEP);
    expect(await getDb().dgaSlot.count({ where: { pointId: mayor.id, slotAt: { in: victims } } })).toBe(3);
    expect((await dgaHealth(getPgPool(), at("2026-11-20T15:00:00Z"))).owedWithoutRow).toBe(0);
  }, 60_000);
});
