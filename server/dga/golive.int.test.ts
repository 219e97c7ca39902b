import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { toDgaDateTime } from "@/domain/dga/time";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import type { Principal } from "@/domain/auth/permissions";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { calendar, summary } from "./compliance-read";
import { setGoLive, setTransport } from "./compliance-write";
import { expectCompliance, MIN_MS, readingAt, runWorker, tick } from "./test-clock";
import { createPoint, HOUR_MS, records, startHarness, type Harness } from "./test-harness";

let h: Harness;
const STEP = 5 * MIN_MS;
const at = (iso: string) => new Date(iso);
const hours = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) => new Date(at(from).getTime() + i * HOUR_MS));

beforeEach(async () => {
  await truncateAll();
  h = await startHarness();
});
afterEach(() => h.sandbox.close());
afterAll(closeAll);

describe("go-live: the obligation starts when the point goes live", () => {
  it("a point switched live mid-day owes and sends nothing before go-live (Mayor and Medio)", async () => {
    const mayor = await createPoint(h, { transport: "off" });
    const medio = await createPoint(h, { transport: "off", standard: "medio" });
    for (const t of hours("2026-11-10T04:00:00Z", 14)) for (const p of [mayor, medio]) await readingAt(p.id, t);
    const switchAt = at("2026-11-10T13:37:00Z"); // 09:37 on the DGA clock
    for (const p of [mayor, medio])
      await setTransport(getPgPool(), { pointId: p.id, transport: "live", actor: "user:test" }, switchAt, h.cfg);
    expect((await getDb().capturePoint.findUniqueOrThrow({ where: { id: mayor.id } })).dgaGoLiveAt).toEqual(switchAt);
    await runWorker(h, switchAt, at("2026-11-10T17:05:00Z"), STEP);

    const sent = (await records(h)).records.filter((r) => r.codigoObra === mayor.obraCode).map((r) => r.horaMedicion);
    expect(sent).toEqual(["10:00:00", "11:00:00", "12:00:00", "13:00:00"]);
    expect(
      await getDb().dgaSlot.count({ where: { pointId: { in: [mayor.id, medio.id] }, slotAt: { lt: switchAt } } }),
    ).toBe(0);
    const t = await expectCompliance(
      h,
      [
        { id: mayor.id, standard: "mayor", goLiveAt: switchAt },
        { id: medio.id, standard: "medio", goLiveAt: switchAt },
      ],
      at("2026-11-10T17:05:00Z"),
      { fromMonth: "2026-11", toMonth: "2026-11" },
    );
    expect(t.get(mayor.id)).toMatchObject({ due: 4, sent: 4, missing: 0 });
    // Medio's boundary is 00:00: today's was before go-live, the first owed one is tomorrow's.
    expect(t.get(medio.id)).toBeUndefined();
    expect(
      (await getDb().dgaSlot.findMany({ where: { pointId: medio.id } })).map((s) => toDgaDateTime(s.slotAt).fecha),
    ).toEqual([]);
  }, 120_000);

  it("shadow → live cut-over: shadow hours are shown but not owed, the cut-over hour is, and no backlog is sent", async () => {
    const p = await createPoint(h, { transport: "shadow" });
    for (const t of hours("2026-11-12T10:00:00Z", 6)) await readingAt(p.id, t);
    await runWorker(h, at("2026-11-12T10:00:00Z"), at("2026-11-12T13:00:00Z"), STEP);
    expect((await records(h)).records).toHaveLength(0);
    const cutover = at("2026-11-12T13:00:00Z");
    const r = await setTransport(
      getPgPool(),
      { pointId: p.id, transport: "live", liveFrom: cutover, actor: "user:test" },
      at("2026-11-12T12:58:00Z"),
      h.cfg,
    );
    expect(r.after).toMatchObject({ dgaGoLiveAt: cutover, closedSlots: 3 });
    await runWorker(h, cutover, at("2026-11-12T15:05:00Z"), STEP);
    expect((await records(h)).records.map((x) => x.horaMedicion)).toEqual(["09:00:00", "10:00:00", "11:00:00"]);
    const cal = await calendar(
      getPgPool(),
      { clientId: h.clientId, pointId: p.id, month: "2026-11" },
      at("2026-11-12T15:05:00Z"),
    );
    expect(cal.slots.filter((s) => s.slotAt < cutover).map((s) => [s.state, s.light, s.owed])).toEqual([
      ["skipped", "grey", false],
      ["skipped", "grey", false],
      ["skipped", "grey", false],
    ]);
    const s = await summary(
      getPgPool(),
      { clientId: h.clientId, fromMonth: "2026-11", toMonth: "2026-11" },
      at("2026-11-12T15:05:00Z"),
    );
    expect(s.client).toEqual([
      expect.objectContaining({ due: 3, sent: 3, skipped: 0, missing: 0, compliancePct: 100 }),
    ]);
  }, 120_000);

  it("staff move go-live: earlier makes the cycle create the newly owed hours, later closes what is no longer owed", async () => {
    const p = await createPoint(h, { goLiveAt: at("2026-11-15T12:00:00Z") });
    await tick(h, at("2026-11-15T12:00:00Z"), STEP);
    const moved = await setGoLive(
      getPgPool(),
      { pointId: p.id, goLiveAt: at("2026-11-15T08:00:00Z"), actor: "user:staff" },
      at("2026-11-15T12:01:00Z"),
    );
    expect(moved).toMatchObject({ before: { dgaGoLiveAt: at("2026-11-15T12:00:00Z") }, after: { closedSlots: 0 } });
    const s1 = await tick(h, at("2026-11-15T12:05:00Z"), STEP);
    expect(s1.catchUp.created).toBe(4);
    expect(
      (
        await summary(
          getPgPool(),
          { clientId: h.clientId, fromMonth: "2026-11", toMonth: "2026-11" },
          at("2026-11-15T12:05:00Z"),
        )
      ).client[0],
    ).toMatchObject({ due: 5, missing: 0 });

    const later = await setGoLive(
      getPgPool(),
      { pointId: p.id, goLiveAt: at("2026-11-15T11:00:00Z"), actor: "user:staff" },
      at("2026-11-15T12:06:00Z"),
    );
    expect(later.after.closedSlots).toBe(3);
    const closed = await getDb().dgaSlot.findMany({
      where: { pointId: p.id, slotAt: { lt: at("2026-11-15T11:00:00Z") } },
    });
    expect(closed.every((c) => c.state === "skipped" && c.reasons[0] === "before_go_live")).toBe(true);
    expect(await getDb().auditLog.count({ where: { action: "dga.slot.before_go_live" } })).toBe(3);
    await expect(
      setGoLive(getPgPool(), { pointId: p.id, goLiveAt: null, actor: "user:staff" }, at("2026-11-15T12:06:00Z")),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      setGoLive(
        getPgPool(),
        { pointId: p.id, goLiveAt: at("2024-06-01T00:00:00Z"), actor: "user:staff" },
        at("2026-11-15T12:06:00Z"),
      ),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
  }, 60_000);

  it("the operation is staff-only and audited with the before/after go-live and the note", async () => {
    const p = await createPoint(h, { transport: "shadow" });
    const staff: Principal = { kind: "user", id: 0, label: "user:operador", staffRole: "operator", memberships: [] };
    const manager: Principal = {
      kind: "user",
      id: 0,
      label: "user:gerente",
      staffRole: null,
      memberships: [{ clientId: h.clientId, role: "manager" }],
    };
    const input = { id: p.id, goLiveAt: "2026-12-01T13:00:00Z", note: "Resolución DGA regional" };
    await expect(runOperation(operations.points.setDgaGoLive, getDb(), manager, input)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await runOperation(operations.points.setDgaGoLive, getDb(), staff, input)).toMatchObject({
      id: p.id,
      dgaGoLiveAt: at("2026-12-01T13:00:00Z"),
    });
    const audit = await getDb().auditLog.findFirstOrThrow({
      where: { action: "points.setDgaGoLive", entityId: String(p.id) },
    });
    expect(audit).toMatchObject({
      actorLabel: "user:operador",
      clientId: h.clientId,
      before: { dgaGoLiveAt: null },
      after: { dgaGoLiveAt: "2026-12-01T13:00:00.000Z", note: "Resolución DGA regional" },
    });
    expect((await getDb().capturePoint.findUniqueOrThrow({ where: { id: p.id } })).dgaGoLiveAt).toEqual(
      at("2026-12-01T13:00:00Z"),
    );
  }, 60_000);
});
