import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { toDgaDateTime } from "@/domain/dga/time";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { acceptSlot, discardSlot, setTransport } from "./compliance-write";
import { runCycle } from "./cycle";
import { fillSlots } from "./fill";
import type { PlannedSend } from "./plan";
import { createSlots } from "./scheduler";
import { submitSlot } from "./submit";
import {
  createPoint,
  HOUR_MS,
  insertMeasurements,
  records,
  SLOT_AT,
  slotRow,
  startHarness,
  type Harness,
} from "./test-harness";

let h: Harness;
const pool = () => getPgPool();
const at = (ms: number) => new Date(SLOT_AT.getTime() + ms);
const slotOf = async (pointId: number, slotAt: Date) =>
  getDb().dgaSlot.findUniqueOrThrow({ where: { pointId_slotAt: { pointId, slotAt } } });
const full = { flow: 12.34, totalizer: 5000, water_table: 8.5 };

beforeEach(async () => {
  await truncateAll();
  h = await startHarness();
});
afterEach(() => h.sandbox.close());
afterAll(closeAll);

describe("slots as an outbox", () => {
  it("creates slots ahead idempotently, only for shadow/live points, hourly on UTC-4 across Chile's DST changes", async () => {
    const live = await createPoint(h);
    await createPoint(h, { transport: "off" });
    const aprilNight = new Date("2026-04-05T02:30:00Z");
    const first = await createSlots(pool(), aprilNight, { ...h.cfg, horizonHours: 4 });
    expect(first.created).toBe(5);
    expect((await createSlots(pool(), aprilNight, { ...h.cfg, horizonHours: 4 })).created).toBe(0);
    const slots = await getDb().dgaSlot.findMany({ orderBy: { slotAt: "asc" } });
    expect(slots.every((s) => s.pointId === live.id && s.state === "empty")).toBe(true);
    expect(slots.map((s) => toDgaDateTime(s.slotAt).hora)).toEqual([
      "22:00:00",
      "23:00:00",
      "00:00:00",
      "01:00:00",
      "02:00:00",
    ]);
    await createSlots(pool(), new Date("2026-09-06T03:30:00Z"), { ...h.cfg, horizonHours: 2 });
    const sept = await getDb().dgaSlot.findMany({
      where: { slotAt: { gte: new Date("2026-09-01") } },
      orderBy: { slotAt: "asc" },
    });
    expect(sept.map((s) => `${toDgaDateTime(s.slotAt).fecha} ${toDgaDateTime(s.slotAt).hora}`)).toEqual([
      "2026-09-05 23:00:00",
      "2026-09-06 00:00:00",
      "2026-09-06 01:00:00",
    ]);
  });

  it("fills from the exact-minute reading only, validates, and audits the change", async () => {
    const p = await createPoint(h);
    const q = await createPoint(h);
    await createSlots(pool(), SLOT_AT, { ...h.cfg, horizonHours: 0 });
    await insertMeasurements(p.id, new Date(SLOT_AT.getTime() + 37_000), full);
    await insertMeasurements(q.id, new Date(SLOT_AT.getTime() + 60_000), full);
    await fillSlots(pool(), at(5 * 60_000), h.cfg);
    expect(await slotOf(p.id, SLOT_AT)).toMatchObject({
      state: "pending",
      flowLps: 12.34,
      totalizerM3: 5000,
      levelM: 8.5,
      reasons: [],
    });
    expect((await slotOf(q.id, SLOT_AT)).state).toBe("empty");
    const audit = await getDb().auditLog.findFirstOrThrow({ where: { action: "dga.slot.fill" } });
    expect(audit).toMatchObject({ actorLabel: "system:dga", entity: "dga_slot", clientId: h.clientId });
  });

  it("rescues late data, sends stale empties to review after 48 h and writes them off after 30 days", async () => {
    const p = await createPoint(h);
    await createSlots(pool(), SLOT_AT, { ...h.cfg, horizonHours: 2 });
    const late = at(HOUR_MS);
    const stale = at(2 * HOUR_MS);
    await fillSlots(pool(), at(3 * HOUR_MS), h.cfg);
    expect((await slotOf(p.id, SLOT_AT)).state).toBe("empty");
    await insertMeasurements(p.id, SLOT_AT, full);
    await fillSlots(pool(), at(4 * HOUR_MS), h.cfg);
    expect((await slotOf(p.id, SLOT_AT)).state).toBe("pending");

    await fillSlots(pool(), at(51 * HOUR_MS), h.cfg);
    expect(await slotOf(p.id, late)).toMatchObject({ state: "requires_review", reasons: ["no_data_stale"] });
    expect(await getDb().notification.count({ where: { event: "dga_review", groupKey: `dga:nodata:${p.id}` } })).toBe(
      1,
    );
    await insertMeasurements(p.id, late, full);
    await fillSlots(pool(), at(52 * HOUR_MS), h.cfg);
    expect((await slotOf(p.id, late)).state).toBe("pending");

    await fillSlots(pool(), at(31 * 24 * HOUR_MS), h.cfg);
    expect(await slotOf(p.id, stale)).toMatchObject({ state: "skipped", reasons: ["no_data_written_off"] });
  });

  it("missing configuration stops the point visibly (reasons + notification) and clears once fixed", async () => {
    const p = await createPoint(h, { informante: false });
    const cycle = (cfg = h.cfg, now = at(5 * 60_000)) => runCycle({ pool: pool(), now, cfg, dispatch: async () => {} });
    await insertMeasurements(p.id, SLOT_AT, full);
    await createSlots(pool(), SLOT_AT, { ...h.cfg, horizonHours: 0 });
    const s1 = await cycle();
    expect(s1.blockedPoints).toBe(1);
    expect(await slotOf(p.id, SLOT_AT)).toMatchObject({ state: "requires_review", reasons: ["informante_missing"] });
    expect(await getDb().notification.count({ where: { event: "dga_review", clientId: h.clientId } })).toBe(1);
    await cycle();
    expect(await getDb().notification.count({ where: { event: "dga_review", clientId: h.clientId } })).toBe(1);

    await getDb().capturePoint.update({ where: { id: p.id }, data: { informanteId: h.informanteId } });
    await cycle({ ...h.cfg, centroControlRut: null });
    expect((await slotOf(p.id, SLOT_AT)).reasons).toEqual(["centro_control_missing"]);
    await cycle();
    expect((await slotOf(p.id, SLOT_AT)).state).toBe("pending");
  });

  it("a cycle plans and the worker sends within the hour; shadow fills but never sends", async () => {
    const live = await createPoint(h);
    const shadow = await createPoint(h, { transport: "shadow" });
    for (const p of [live, shadow]) await insertMeasurements(p.id, SLOT_AT, full);
    await createSlots(pool(), SLOT_AT, { ...h.cfg, horizonHours: 0 });
    const planned: PlannedSend[] = [];
    const now = at(5 * 60_000);
    const summary = await runCycle({ pool: pool(), now, cfg: h.cfg, dispatch: async (p) => void planned.push(...p) });
    expect(summary).toMatchObject({ ran: true, dispatched: 1 });
    for (const p of planned) await submitSlot(pool(), p.slotId, now, h.cfg);
    expect((await slotOf(live.id, SLOT_AT)).state).toBe("sent");
    expect((await slotOf(shadow.id, SLOT_AT)).state).toBe("pending");
    expect((await records(h)).records.map((r) => r.codigoObra)).toEqual([live.obraCode]);
  });

  it("shadow → live cut-over closes earlier slots, so the switch never creates a backlog", async () => {
    const p = await createPoint(h, { transport: "shadow" });
    for (let i = 0; i < 3; i++) await insertMeasurements(p.id, at(i * HOUR_MS), full);
    await createSlots(pool(), at(2 * HOUR_MS), { ...h.cfg, horizonHours: 0 });
    await createSlots(pool(), SLOT_AT, { ...h.cfg, horizonHours: 2 });
    await fillSlots(pool(), at(2 * HOUR_MS + 60_000), h.cfg);
    const r = await setTransport(
      pool(),
      { pointId: p.id, transport: "live", liveFrom: at(2 * HOUR_MS), actor: "user:test" },
      at(2 * HOUR_MS + 60_000),
      h.cfg,
    );
    expect(r.after.closedSlots).toBe(2);
    expect((await slotOf(p.id, SLOT_AT)).state).toBe("skipped");
    expect((await slotOf(p.id, at(2 * HOUR_MS))).state).toBe("pending");
    const bare = await createPoint(h, { transport: "shadow", informante: false });
    await expect(
      setTransport(pool(), { pointId: bare.id, transport: "live", actor: "user:test" }, at(0), h.cfg),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("review: accept with corrected values → pending; accept with a receipt → sent; discard → skipped", async () => {
    const p = await createPoint(h);
    await createSlots(pool(), SLOT_AT, { ...h.cfg, horizonHours: 2 });
    await insertMeasurements(p.id, SLOT_AT, { ...full, flow: -3 });
    await fillSlots(pool(), at(5 * 60_000), h.cfg);
    const bad = await slotOf(p.id, SLOT_AT);
    expect(bad).toMatchObject({ state: "requires_review", reasons: ["flow_negative"] });
    await expect(
      acceptSlot(
        pool(),
        { slotId: Number(bad.id), values: { flowLps: -3 }, note: "ok", reviewerId: null },
        at(HOUR_MS),
        h.cfg,
      ),
    ).rejects.toMatchObject({ code: "INVALID_PAYLOAD" });
    await acceptSlot(
      pool(),
      { slotId: Number(bad.id), values: { flowLps: 3 }, note: "Sensor invertido", reviewerId: null },
      at(HOUR_MS),
      h.cfg,
    );
    expect(await slotRow(bad.id.toString())).toMatchObject({
      state: "pending",
      flowLps: 3,
      reviewNote: "Sensor invertido",
    });

    const other = await getDb().dgaSlot.update({
      where: { pointId_slotAt: { pointId: p.id, slotAt: at(HOUR_MS) } },
      data: { state: "requires_review", reasons: ["sent_no_receipt"] },
    });
    await expect(
      acceptSlot(
        pool(),
        { slotId: Number(other.id), values: {}, note: "reenviar", reviewerId: null },
        at(HOUR_MS),
        h.cfg,
      ),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await acceptSlot(
      pool(),
      { slotId: Number(other.id), values: {}, note: "visto en MEE", receipt: "ABCDEF0123456789", reviewerId: null },
      at(HOUR_MS),
      h.cfg,
    );
    expect(await slotRow(other.id.toString())).toMatchObject({ state: "sent", receipt: "ABCDEF0123456789" });

    const third = await slotOf(p.id, at(2 * HOUR_MS));
    await discardSlot(pool(), { slotId: Number(third.id), note: "sin medición", reviewerId: null });
    expect(await slotRow(third.id.toString())).toMatchObject({ state: "skipped", reviewNote: "sin medición" });
    await expect(discardSlot(pool(), { slotId: Number(other.id), note: "x", reviewerId: null })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});
