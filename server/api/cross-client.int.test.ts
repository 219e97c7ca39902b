import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import type { Principal } from "@/domain/auth/permissions";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { issueRestToken } from "@/server/auth/rest-token";
import { runOperation } from "./run-operation";
import { handleRest } from "./rest";
import { operations } from "./operations";
import type { ClientMonthRow } from "@/server/reports/clients-month";

/** `clients` tenant mode: without clientId, an operation covers every client the principal may use it on. */
let f: Fixture;

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const at = new Date("2026-01-15T12:00:00Z");
  for (const t of [f.a, f.b]) {
    await getDb().anomaly.create({
      data: {
        clientId: t.clientId,
        pointId: t.point.id,
        type: "point_offline",
        reason: "sin datos",
        dedupeKey: `xc-${t.clientId}`,
        startedAt: at,
        lastSeenAt: at,
      },
    });
    await getPgPool().query(
      `INSERT INTO measurement_daily (point_id, variable, bucket, count, consumption_m3, worst_quality)
       VALUES ($1, 2, '2026-01-10T03:00:00Z', 24, $2, 0)`,
      [t.point.id, t === f.a ? 100 : 250],
    );
  }
  // Client B drops the alerts module: staff "all clients" must skip it, as the per-client check would.
  await getDb().clientModule.update({
    where: { clientId_module: { clientId: f.clientB.id, module: "alerts" } },
    data: { enabled: false },
  });
});
afterAll(closeAll);

const run = (op: Parameters<typeof runOperation>[0], who: Principal, input: unknown) =>
  runOperation(op, getDb(), who, input);
const anomalies = (who: Principal, input: Record<string, unknown> = {}) =>
  run(operations.analytics.anomalies, who, { limit: 25, offset: 0, ...input }) as Promise<{
    items: { clientId: number; client: { name: string } }[];
    total: number;
  }>;
const informantes = (who: Principal, input: Record<string, unknown> = {}) =>
  run(operations.informantes.list, who, input) as Promise<{ clientId: number; client: { name: string } }[]>;
const months = (who: Principal, input: Record<string, unknown> = {}) =>
  run(operations.reports.clientsMonth, who, { month: "2026-01", ...input }) as Promise<{
    month: string;
    clients: ClientMonthRow[];
  }>;

describe("cross-client operations (staff 'Todos los clientes')", () => {
  it("staff without clientId see every permitted client's rows, with the client's name", async () => {
    const inf = await informantes(f.principals.operator);
    expect(new Set(inf.map((i) => i.clientId))).toEqual(new Set([f.clientA.id, f.clientB.id]));
    expect(inf.map((i) => i.client.name).sort()).toEqual(["Cliente A", "Cliente B"]);

    const r = await months(f.principals.admin);
    expect(r.month).toBe("2026-01");
    expect(r.clients.map((c) => [c.name, c.points, c.volumeM3, c.openAlerts])).toEqual([
      ["Cliente A", 1, 100, 1],
      ["Cliente B", 1, 250, 1],
    ]);
  });

  it("staff 'all' alerts skip clients without the alerts module; naming that client is refused", async () => {
    await getDb().clientModule.update({
      where: { clientId_module: { clientId: f.clientB.id, module: "alerts" } },
      data: { enabled: true },
    });
    const both = await anomalies(f.principals.operator);
    expect(new Set(both.items.map((a) => a.client.name))).toEqual(new Set(["Cliente A", "Cliente B"]));
    await getDb().clientModule.update({
      where: { clientId_module: { clientId: f.clientB.id, module: "alerts" } },
      data: { enabled: false },
    });
    const onlyA = await anomalies(f.principals.operator);
    expect(onlyA.items.map((a) => a.clientId)).toEqual([f.clientA.id]);
    await expect(anomalies(f.principals.operator, { clientId: f.clientB.id })).rejects.toSatisfy((e) =>
      AppError.is(e, "FORBIDDEN"),
    );
  });

  it("a client user never sees another client's rows, with or without clientId", async () => {
    const a = await anomalies(f.principals.managerA);
    expect(a.items.map((x) => x.clientId)).toEqual([f.clientA.id]);
    expect((await informantes(f.principals.viewerA)).map((i) => i.clientId)).toEqual([f.clientA.id]);
    expect((await months(f.principals.managerA)).clients.map((c) => c.clientId)).toEqual([f.clientA.id]);
    expect((await months(f.principals.managerB)).clients.map((c) => c.clientId)).toEqual([f.clientB.id]);
    await expect(informantes(f.principals.managerB, { clientId: f.clientA.id })).rejects.toSatisfy((e) =>
      AppError.is(e, "NOT_FOUND"),
    );
    await expect(anomalies(f.principals.managerB, { clientId: f.clientA.id })).rejects.toSatisfy((e) =>
      AppError.is(e, "NOT_FOUND"),
    );
  });

  it("DGA compliance of the month is the figure compliance.summary gives for the client", async () => {
    await getDb().capturePoint.update({
      where: { id: f.a.point.id },
      data: { dgaGoLiveAt: new Date("2026-01-20T04:00:00Z") },
    });
    for (const h of [5, 6, 7])
      await getPgPool().query(
        `INSERT INTO dga_slot (point_id, slot_at, standard, state, sent_at, updated_at)
         VALUES ($1, $2, 'mayor', 'sent', $2, now())`,
        [f.a.point.id, new Date(Date.UTC(2026, 0, 21, h))],
      );
    const summary = (await run(operations.compliance.summary, f.principals.admin, {
      clientId: f.clientA.id,
      fromMonth: "2026-01",
      toMonth: "2026-01",
    })) as { client: { compliancePct: number | null; due: number; sent: number }[] };
    const want = summary.client[0]!;
    expect(want.sent).toBe(3);
    const row = (await months(f.principals.admin)).clients.find((c) => c.clientId === f.clientA.id)!;
    expect(row).toMatchObject({ compliancePct: want.compliancePct, dgaDue: want.due, dgaSent: 3 });
    expect((await months(f.principals.admin)).clients.find((c) => c.clientId === f.clientB.id)!.compliancePct).toBe(
      null,
    );
  });

  it("REST follows the registry: GET /informantes without clientId lists the caller's clients only", async () => {
    const get = async (who: "operator" | "managerB") => {
      const { token } = await issueRestToken(`user:${f.users[who].id}`, new Date());
      const res = await handleRest(
        new Request("http://localhost/api/v1/informantes", { headers: { authorization: `Bearer ${token}` } }),
        "/informantes",
      );
      expect(res.status).toBe(200);
      return ((await res.json()) as { clientId: number }[]).map((i) => i.clientId).sort();
    };
    expect(await get("operator")).toEqual([f.clientA.id, f.clientB.id].sort());
    expect(await get("managerB")).toEqual([f.clientB.id]);
  });

  it("an API key bound to a client stays on it; without the scope it is refused", async () => {
    const key = { ...f.principals.managerA, kind: "apiKey" as const, staffRole: null, memberships: [] };
    const bound: Principal = { ...key, apiKeyClientId: f.clientB.id, apiKeyScopes: ["reports:read"] };
    expect((await months(bound)).clients.map((c) => c.clientId)).toEqual([f.clientB.id]);
    const noScope: Principal = { ...key, apiKeyClientId: f.clientB.id, apiKeyScopes: ["points:read"] };
    await expect(months(noScope)).rejects.toSatisfy((e) => AppError.is(e, "FORBIDDEN"));
  });
});
