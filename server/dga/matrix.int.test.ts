import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { summary } from "./compliance-read";
import { matrix } from "./compliance-matrix";
import { clientTriage } from "@/server/analytics/triage";

const HOUR = 3_600_000;
// 2026-11-03 12:30 on the DGA clock; go-live 2026-11-02 00:00 UTC-4.
const now = new Date("2026-11-03T16:30:00Z");
const goLive = new Date("2026-11-02T04:00:00Z");
const hourAt = (day: number, hour: number) => new Date(Date.UTC(2026, 10, day, hour + 4));

beforeEach(truncateAll);
afterAll(closeAll);

async function setup() {
  const db = getDb();
  const client = await db.client.create({
    data: { name: "Agro", rut: "76944359-2", modules: { create: [{ module: "dga" }, { module: "telemetry" }] } },
  });
  const p = await db.capturePoint.create({
    data: {
      clientId: client.id,
      name: "Pozo 1",
      kind: "groundwater",
      obraCode: "OB-0601-1",
      dgaTransport: "live",
      dgaGoLiveAt: goLive,
      expectedIntervalMin: 15,
    },
  });
  const slot = (slotAt: Date, state: string, sentAt: Date | null = null, reasons: string[] = []) =>
    getPgPool().query(
      `INSERT INTO dga_slot (point_id, slot_at, standard, state, reasons, sent_at, updated_at) VALUES ($1, $2, 'mayor', $3::"SlotState", $4, $5, now())`,
      [p.id, slotAt, state, reasons, sentAt],
    );
  // Day 2: every hour sent on time except 05:00 (late), 07:00 (failed) and 09:00 (no row at all).
  for (let hh = 0; hh < 24; hh++) {
    const at = hourAt(2, hh);
    if (hh === 9) continue;
    if (hh === 7) await slot(at, "failed");
    else await slot(at, "sent", new Date(at.getTime() + (hh === 5 ? 3 * HOUR : 5 * 60_000)));
  }
  // Day 3 (today): sent until 10:00, 11:00 in review, 12:00 pending within its hour.
  for (let hh = 0; hh <= 10; hh++) await slot(hourAt(3, hh), "sent", new Date(hourAt(3, hh).getTime() + 60_000));
  await slot(hourAt(3, 11), "requires_review", null, ["quality_flagged"]);
  await slot(hourAt(3, 12), "pending");
  return { clientId: client.id, pointId: p.id };
}

describe("compliance matrix", () => {
  it("gives each day its worst hour with distinct states, and the same month figures as the summary", async () => {
    const { clientId, pointId } = await setup();
    const m = await matrix(getPgPool(), { clientId, month: "2026-11" }, now);
    expect(m.days).toHaveLength(30);
    const row = m.points.find((p) => p.pointId === pointId)!;
    expect(row.cells.slice(0, 4)).toEqual(["not_owed", "failed", "review", "future"]);
    expect(row.cells.at(-1)).toBe("future");

    const s = await summary(getPgPool(), { clientId, fromMonth: "2026-11", toMonth: "2026-11" }, now);
    const fromSummary = s.points.find((p) => p.pointId === pointId)!;
    for (const k of [
      "due",
      "sent",
      "late",
      "failed",
      "review",
      "pending",
      "missing",
      "compliancePct",
      "onTimePct",
    ] as const)
      expect(row[k], k).toEqual(fromSummary[k]);
    expect(row).toMatchObject({ due: 37, sent: 33, late: 1, failed: 1, missing: 1, review: 1, pending: 1 });
    expect(m.client.due).toBe(37);
  });

  it("the well triage names the DGA hole and the review, and an open alarm does not hide lateness", async () => {
    const { clientId, pointId } = await setup();
    await getPgPool().query(
      `INSERT INTO measurement (point_id, variable, ts, value, quality, source) VALUES ($1, 1, $2, 12.5, 0, 'test')`,
      [pointId, new Date(now.getTime() - 50 * 60_000)],
    );
    await getPgPool().query(
      `INSERT INTO anomaly (client_id, point_id, type, severity, state, reason, dedupe_key, started_at, last_seen_at)
       VALUES ($1, $2, 'spike', 'warning', 'open', 'Pico de caudal de 48 L/s', 'k1', $3, $3)`,
      [clientId, pointId, new Date(now.getTime() - 5 * HOUR)],
    );
    const t = await clientTriage(getPgPool(), { clientId, dgaMonth: "2026-11" }, now);
    const w = t.wells.find((x) => x.pointId === pointId)!;
    expect(w.state).toBe("alarm");
    expect(w.conditions.map((c) => c.kind)).toEqual(["dga_failed", "dga_missing", "delayed", "dga_review", "anomaly"]);
    expect(w.conditions.find((c) => c.kind === "dga_missing")!.text).toContain("02-11-2026 07:00 (UTC-4)");
    expect(w.conditions.find((c) => c.kind === "anomaly")!.text).toContain("Pico de caudal de 48 L/s");
  });
});
