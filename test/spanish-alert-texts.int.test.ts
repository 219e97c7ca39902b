import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";

const SQL = readFileSync("prisma/migrations/20261203100100_spanish_alert_texts/migration.sql", "utf8");
let f: Fixture;

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

describe("migration 20261203100100: stored alert texts in Spanish", () => {
  it("rewrites variable codes and point decimals of anomalies and their notifications, once", async () => {
    const old = [
      ["negative_flow", "Caudal negativo (-0.28 L/s)", "Caudal negativo (-0,28 L/s)"],
      ["spike", "7 pico(s) en water_table", "7 picos en nivel freático"],
      ["spike", "1 pico(s) en flow", "1 pico en caudal"],
      [
        "error_code",
        "Códigos de error del equipo en 5 lecturas seguidas (level)",
        "Códigos de error del equipo en 5 lecturas seguidas (nivel del sensor)",
      ],
      ["point_offline", "Sin datos desde 10.5 h", "Sin datos desde 10.5 h"],
    ] as const;
    for (const [i, [type, reason]] of old.entries())
      await getDb().anomaly.create({
        data: {
          clientId: f.clientA.id,
          pointId: f.a.point.id,
          type,
          severity: "warning",
          reason,
          dedupeKey: `mig-${i}`,
          startedAt: new Date(),
          lastSeenAt: new Date(),
        },
      });
    await getDb().notification.create({
      data: {
        clientId: f.clientA.id,
        channel: "in_app",
        event: "spike",
        severity: "info",
        title: "Pico",
        body: "7 pico(s) en water_table",
      },
    });
    await getPgPool().query(SQL);
    await getPgPool().query(SQL);
    const rows = await getDb().anomaly.findMany({ orderBy: { id: "asc" }, select: { reason: true } });
    expect(rows.map((r) => r.reason)).toEqual(old.map((o) => o[2]));
    const n = await getDb().notification.findFirstOrThrow({ where: { event: "spike" } });
    expect(n.body).toBe("7 picos en nivel freático");
  });
});
