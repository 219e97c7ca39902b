import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildRequest } from "@/domain/dga/payload";
import { DEFAULT_STANDARDS } from "@/domain/dga/standards";
import { fromDgaWallClock } from "@/domain/dga/time";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { planSubmissions } from "./plan";
import { reconcileLeases } from "./reconcile";
import { verifyReceipt } from "./receipts";
import { claimSlot, submitSlot } from "./submit";
import {
  CENTRO_CONTROL_RUT,
  createPoint,
  HOUR_MS,
  INFORMANTE_RUT,
  PASSWORD,
  pendingSlot,
  records,
  setFaults,
  SLOT_AT,
  slotRow,
  startHarness,
  type Harness,
} from "./test-harness";

let h: Harness;
const pool = () => getPgPool();
const at = (ms: number) => new Date(SLOT_AT.getTime() + ms);
/** Next-day resend per DEFAULT_RETRY_POLICY: 10:00 UTC-4 of the following DGA day. */
const nextDay10 = fromDgaWallClock({ year: 2026, month: 6, day: 16, hour: 10 });

beforeEach(async () => {
  await truncateAll();
  h = await startHarness();
});
afterEach(() => h.sandbox.close());
afterAll(closeAll);

describe("submission", () => {
  it("sends all three message types in the manual's formats, on the fixed UTC-4 clock, and verifies the receipts", async () => {
    const kinds = ["groundwater", "surface", "surface_flowmeter"] as const;
    for (const kind of kinds) {
      const p = await createPoint(h, { kind });
      const id = await pendingSlot(p.id, SLOT_AT, { flowLps: 25.7, totalizerM3: 1234567.9, levelM: 0, heightCm: 42 });
      const r = await submitSlot(pool(), id, at(5 * 60_000), h.cfg);
      expect(r).toMatchObject({ kind: "attempted", outcome: "sent", state: "sent" });
      const slot = await slotRow(id);
      expect(slot.state).toBe("sent");
      expect(slot.receipt).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(await verifyReceipt(pool(), id, at(HOUR_MS), h.cfg)).toMatchObject({ status: "match" });
    }
    const { records: stored } = await records(h);
    expect(stored).toHaveLength(3);
    for (const r of stored) {
      expect(r.fechaMedicion).toBe("2026-06-15");
      expect(r.horaMedicion).toBe("10:00:00");
      expect(r.measurement.caudal).toBe("25.70");
    }
    expect(stored.find((r) => r.kind === "groundwater")!.measurement).toEqual({
      caudal: "25.70",
      fechaMedicion: "2026-06-15",
      horaMedicion: "10:00:00",
      nivelFreaticoDelPozo: "0.00",
      totalizador: "1234567",
    });
    expect(stored.find((r) => r.kind === "surface")!.measurement.alturaLimnimetrica).toBe("42");
    expect(stored.find((r) => r.kind === "surface_flowmeter")!.measurement.totalizador).toBe("1234567");
    const attempt = await getDb().dgaAttempt.findFirstOrThrow();
    expect(JSON.stringify(attempt.request)).not.toContain(PASSWORD);
    expect(JSON.stringify(attempt.request)).toContain("****");
    expect(attempt.httpStatus).toBe(200);
  });

  it("uses UTC-4 in Chilean summer time too (America/Santiago would say 11:00)", async () => {
    const p = await createPoint(h);
    const id = await pendingSlot(p.id, new Date("2026-01-15T14:00:00Z"));
    await submitSlot(pool(), id, new Date("2026-01-15T14:03:00Z"), h.cfg);
    const [r] = (await records(h)).records;
    expect([r!.fechaMedicion, r!.horaMedicion]).toEqual(["2026-01-15", "10:00:00"]);
  });

  it("retries a rejection or a 5xx the next day at the policy hour, and fails for a human after the cap", async () => {
    const p = await createPoint(h);
    await fetch(`${h.url}/__admin/obras`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ codigoObra: p.obraCode, rutUsuario: INFORMANTE_RUT, password: "otra" }),
    });
    const id = await pendingSlot(p.id, SLOT_AT);
    expect(await submitSlot(pool(), id, at(5 * 60_000), h.cfg)).toMatchObject({
      outcome: "rejected",
      state: "rejected",
    });
    expect((await slotRow(id)).nextAttemptAt).toEqual(nextDay10);

    const p2 = await createPoint(h);
    const id2 = await pendingSlot(p2.id, SLOT_AT);
    await setFaults(h, { mode: "error_5xx", count: 1 });
    expect(await submitSlot(pool(), id2, at(5 * 60_000), h.cfg)).toMatchObject({
      outcome: "unknown",
      state: "pending",
    });
    expect((await slotRow(id2)).nextAttemptAt).toEqual(nextDay10);

    const capped = { ...h.cfg, retryPolicy: { ...h.cfg.retryPolicy, maxAttempts: 2 } };
    expect(await submitSlot(pool(), id, nextDay10, capped)).toMatchObject({ state: "failed" });
    expect((await slotRow(id)).reasons).toEqual(["rejected:attempts_exhausted"]);
    expect(await getDb().notification.count({ where: { event: "dga_failed" } })).toBe(1);
  });

  it("a duplicate answer means MEE has it: sent with the receipt from the message", async () => {
    const p = await createPoint(h);
    const id = await pendingSlot(p.id, SLOT_AT);
    const req = buildRequest({
      kind: "groundwater",
      obraCode: p.obraCode,
      values: { flowLps: 1, totalizerM3: 2, levelM: 3, heightCm: null },
      slotAt: SLOT_AT,
      rule: DEFAULT_STANDARDS.mayor,
      informante: { rut: INFORMANTE_RUT, password: PASSWORD },
      centroControlRut: CENTRO_CONTROL_RUT,
      now: at(60_000),
    });
    const direct = (await (
      await fetch(`${h.cfg.apiUrl}${req.path}`, {
        method: "POST",
        headers: { ...req.headers },
        body: JSON.stringify(req.body),
      })
    ).json()) as { data: { numeroComprobante: string } };
    expect(await submitSlot(pool(), id, at(5 * 60_000), h.cfg)).toMatchObject({
      outcome: "duplicate",
      state: "sent",
      receipt: direct.data.numeroComprobante,
    });
    expect((await slotRow(id)).reasons).toEqual(["duplicate_receipt"]);
  });

  it("wrong informante → failed + staff alert, never retried", async () => {
    const p = await createPoint(h);
    const id = await pendingSlot(p.id, SLOT_AT);
    await setFaults(h, { mode: "wrong_informante" });
    expect(await submitSlot(pool(), id, at(5 * 60_000), h.cfg)).toMatchObject({
      outcome: "wrong_informante",
      state: "failed",
    });
    const n = await getDb().notification.findFirstOrThrow({ where: { event: "dga_failed" } });
    expect(n).toMatchObject({ clientId: h.clientId, severity: "critical" });
    expect(await planSubmissions(pool(), at(72 * HOUR_MS), h.cfg)).toEqual([]);
    expect(await submitSlot(pool(), id, at(72 * HOUR_MS), h.cfg)).toEqual({ kind: "skipped", reason: "not_due" });
    expect((await records(h)).posts[0]!.posts).toBe(1);
  });

  it("shadow points and the kill switch send nothing", async () => {
    const shadow = await createPoint(h, { transport: "shadow" });
    const live = await createPoint(h);
    const s1 = await pendingSlot(shadow.id, SLOT_AT);
    const s2 = await pendingSlot(live.id, SLOT_AT);
    expect((await planSubmissions(pool(), at(5 * 60_000), h.cfg)).map((p) => p.slotId)).toEqual([s2]);
    expect(await submitSlot(pool(), s1, at(5 * 60_000), h.cfg)).toEqual({ kind: "skipped", reason: "not_due" });
    const off = { ...h.cfg, submissionEnabled: false };
    expect(await planSubmissions(pool(), at(5 * 60_000), off)).toEqual([]);
    expect(await submitSlot(pool(), s2, at(5 * 60_000), off)).toEqual({ kind: "skipped", reason: "kill_switch" });
    expect((await records(h)).posts).toEqual([]);
    expect((await slotRow(s1)).state).toBe("pending");
    expect((await slotRow(s2)).state).toBe("pending");
  });

  it("drains a backlog of one obra one slot at a time, ≥ 5 min apart", async () => {
    const p = await createPoint(h);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await pendingSlot(p.id, at(i * HOUR_MS)));
    let t = at(6 * HOUR_MS).getTime();
    for (let minute = 0; minute < 30; minute++, t += 60_000) {
      for (const plan of await planSubmissions(pool(), new Date(t), h.cfg)) {
        if (plan.sendAt.getTime() <= t) await submitSlot(pool(), plan.slotId, new Date(t), h.cfg);
      }
      const early = await submitSlot(pool(), ids[3]!, new Date(t), h.cfg);
      if (minute < 15) expect(early.kind === "wait" || early.kind === "skipped").toBe(true);
    }
    const attempts = await getDb().dgaAttempt.findMany({ orderBy: { startedAt: "asc" }, include: { slot: true } });
    expect(attempts.map((a) => a.slot.slotAt.getTime())).toEqual([0, 1, 2, 3].map((i) => at(i * HOUR_MS).getTime()));
    for (let i = 1; i < attempts.length; i++)
      expect(attempts[i]!.startedAt.getTime() - attempts[i - 1]!.startedAt.getTime()).toBeGreaterThanOrEqual(
        5 * 60_000,
      );
    expect((await records(h)).posts.every((c) => c.posts === 1)).toBe(true);
  });

  it("two concurrent workers never send the same slot", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await pendingSlot((await createPoint(h)).id, SLOT_AT));
    const w2 = { ...h.cfg, workerId: "test-w2" };
    const now = at(5 * 60_000);
    const results = await Promise.all(
      ids.flatMap((id) => [submitSlot(pool(), id, now, h.cfg), submitSlot(pool(), id, now, w2)]),
    );
    expect(results.filter((r) => r.kind === "attempted")).toHaveLength(25);
    const { posts, records: stored } = await records(h);
    expect(stored).toHaveLength(25);
    expect(posts.every((c) => c.posts === 1 && c.duplicates === 0)).toBe(true);
    expect(await getDb().dgaSlot.count({ where: { state: "sent" } })).toBe(25);
  });

  it("lease recovery after a crash trusts the attempt log: a recorded send is never resent", async () => {
    const p = await createPoint(h);
    const id = await pendingSlot(p.id, SLOT_AT);
    const now = at(5 * 60_000);
    const claim = await claimSlot(pool(), id, now, h.cfg);
    expect(claim.kind).toBe("claimed");
    const req = buildRequest({
      kind: "groundwater",
      obraCode: p.obraCode,
      values: { flowLps: 12.5, totalizerM3: 123456, levelM: 7.25, heightCm: null },
      slotAt: SLOT_AT,
      rule: DEFAULT_STANDARDS.mayor,
      informante: { rut: INFORMANTE_RUT, password: PASSWORD },
      centroControlRut: CENTRO_CONTROL_RUT,
      now,
    });
    const res = (await (
      await fetch(`${h.cfg.apiUrl}${req.path}`, {
        method: "POST",
        headers: { ...req.headers },
        body: JSON.stringify(req.body),
      })
    ).json()) as { data: { numeroComprobante: string } };
    await getDb().dgaAttempt.create({
      data: {
        slotId: BigInt(id),
        startedAt: now,
        durationMs: 5,
        url: "x",
        request: {},
        httpStatus: 200,
        outcome: "sent",
        receipt: res.data.numeroComprobante,
        worker: "test-w1",
      },
    });
    // The worker dies here: the state is still "sending".
    expect(await reconcileLeases(pool(), new Date(now.getTime() + 60_000), h.cfg)).toMatchObject({ recovered: 0 });
    expect(await reconcileLeases(pool(), new Date(now.getTime() + h.cfg.leaseMs + 1_000), h.cfg)).toMatchObject({
      recovered: 1,
      byState: { sent: 1 },
    });
    const slot = await slotRow(id);
    expect(slot).toMatchObject({ state: "sent", receipt: res.data.numeroComprobante, leaseOwner: null });
    expect((await records(h)).posts[0]!.posts).toBe(1);
    expect(await getDb().auditLog.count({ where: { action: "dga.slot.recover", entityId: id } })).toBe(1);
  });

  it("a lease that expired with no recorded answer is 'unknown': retried next day, never at once", async () => {
    const p = await createPoint(h);
    const id = await pendingSlot(p.id, SLOT_AT);
    const now = at(5 * 60_000);
    await claimSlot(pool(), id, now, h.cfg);
    await reconcileLeases(pool(), new Date(now.getTime() + h.cfg.leaseMs + 1_000), h.cfg);
    expect(await slotRow(id)).toMatchObject({
      state: "pending",
      nextAttemptAt: nextDay10,
      reasons: ["outcome_unknown:no_response"],
    });
    expect(await submitSlot(pool(), id, at(HOUR_MS), h.cfg)).toEqual({ kind: "skipped", reason: "not_due" });
    expect(await submitSlot(pool(), id, nextDay10, h.cfg)).toMatchObject({ state: "sent" });
  });
});
