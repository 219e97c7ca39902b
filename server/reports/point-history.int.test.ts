import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { createCaller } from "@/server/trpc/root";
import { createInnerContext } from "@/server/trpc/init";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { insertMeasurements } from "@/server/analytics/test-seed";
import { unzip } from "@/server/reports/zip";

let f: Fixture;
const from = new Date("2026-01-10T10:00:00Z");
const to = new Date("2026-01-10T12:00:00Z");

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const pointId = f.a.point.id;
  await insertMeasurements(getPgPool(), [
    { pointId, variable: "flow", ts: "2026-01-10T10:00:00Z", value: 10.25 },
    { pointId, variable: "flow", ts: "2026-01-10T10:20:00Z", value: 14, quality: "spike", reason: "salto" },
    { pointId, variable: "totalizer", ts: "2026-01-10T10:00:00Z", value: 1000 },
    { pointId, variable: "totalizer", ts: "2026-01-10T10:20:00Z", value: 1018.5 },
  ]);
  await rebuildRollups(getPgPool(), [pointId], new Date("2026-01-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"));
});
afterAll(closeAll);

describe("point history export", () => {
  it("CSV: one row per instant, Santiago times labelled, es-CL numbers, Spanish quality", async () => {
    const caller = createCaller(createInnerContext(getDb(), f.principals.managerA));
    const r = await caller.analytics.historyExport({
      id: f.a.point.id,
      from,
      to,
      bucket: "raw",
      variables: ["flow", "totalizer"],
      format: "csv",
    });
    expect(r.fileName).toMatch(/^historia-.*-2026-01-10-a-2026-01-10\.csv$/);
    const csv = Buffer.from(r.base64, "base64").toString("utf8");
    const lines = csv
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[1]).toBe(
      "Fecha y hora (America/Santiago);Caudal (L/s);Calidad caudal;Totalizador (m³);Calidad totalizador",
    );
    // 10:00 UTC is 07:00 in Santiago in January (UTC-3).
    expect(lines[2]).toBe("10-01-2026 07:00;10,25;Válido;1000,0;Válido");
    expect(lines[3]).toBe("10-01-2026 07:20;14,00;Pico;1018,5;Válido");
    expect(lines).toHaveLength(4);
  });

  it("XLSX: times as dates, numbers as numbers, a filter row", async () => {
    const caller = createCaller(createInnerContext(getDb(), f.principals.viewerA));
    const r = await caller.analytics.historyExport({
      id: f.a.point.id,
      from,
      to,
      bucket: "raw",
      variables: ["flow", "totalizer"],
      format: "xlsx",
    });
    const files = await unzip(Buffer.from(r.base64, "base64"));
    const sheet = files.get("xl/worksheets/sheet1.xml")!.toString("utf8");
    // 2026-01-10 07:00 Santiago = serial 46032 + 7/24.
    expect(sheet).toMatch(/<c r="A2" s="6"><v>46032\.29166/);
    expect(sheet).toContain('<c r="B2" s="2"><v>10.25</v></c>');
    expect(sheet).toContain('<autoFilter ref="A1:E3"/>');
  });

  it("is refused for another client's point", async () => {
    const b = createCaller(createInnerContext(getDb(), f.principals.managerB));
    await expect(b.analytics.historyExport({ id: f.a.point.id, from, to, format: "csv" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("report months", () => {
  it("suggests the newest finished month with data for a new report", async () => {
    const caller = createCaller(createInnerContext(getDb(), f.principals.managerA));
    const r = await caller.reports.months({ clientId: f.clientA.id });
    expect(r.months).toEqual(["2026-01"]);
    expect(r.suggested).toBe("2026-01");
    const b = createCaller(createInnerContext(getDb(), f.principals.managerB));
    expect((await b.reports.months({ clientId: f.clientB.id })).months).toEqual([]);
  });
});
