import type { Scope } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import type { Fixture } from "@/test/fixture";
import { enqueueCollectJobs } from "@/server/collection/jobs";

type Factory = (prisma: Db, f: Fixture, n: number) => Promise<Record<string, unknown>> | Record<string, unknown>;

/**
 * The authorization matrix: every operation's expected scope, and an input addressed at tenant A.
 * An operation missing here fails the matrix test — add it with its scope when you add one.
 */
export const MATRIX: Record<string, { scope: Scope; input: Factory }> = {
  "me.get": { scope: "clients:read", input: () => ({}) },
  "clients.list": { scope: "clients:read", input: () => ({}) },
  "clients.get": { scope: "clients:read", input: (_d, f) => ({ id: f.clientA.id }) },
  "clients.create": {
    scope: "clients:write",
    input: (_d, _f, n) => ({ name: `Nuevo ${n}`, rut: `${10000000 + n}-${dv(10000000 + n)}` }),
  },
  "clients.update": { scope: "clients:write", input: (_d, f) => ({ id: f.clientA.id, contactName: "Cambio" }) },
  "modules.list": { scope: "modules:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "modules.set": { scope: "modules:write", input: (_d, f) => ({ clientId: f.clientA.id, modules: { api: true } }) },
  "points.list": { scope: "points:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "points.get": { scope: "points:read", input: (_d, f) => ({ id: f.a.point.id }) },
  "points.create": {
    scope: "points:write",
    input: (_d, f, n) => ({
      clientId: f.clientA.id,
      name: `Pozo nuevo ${n}`,
      kind: "groundwater",
      obraCode: `OB-0602-${900 + n}`,
    }),
  },
  "points.updateConfig": { scope: "points:write", input: (_d, f) => ({ id: f.a.point.id, grantedFlowLps: 41 }) },
  "points.setDgaGoLive": {
    scope: "compliance:operate",
    input: async (prisma, f, n) => ({
      id: (
        await prisma.capturePoint.create({
          data: { clientId: f.clientA.id, name: `Go-live ${n}`, kind: "groundwater" },
        })
      ).id,
      goLiveAt: "2026-11-01T14:00:00Z",
      note: "Resolución DGA",
    }),
  },
  "points.delete": {
    scope: "points:write",
    input: async (prisma, f, n) => ({
      id: (await prisma.capturePoint.create({ data: { clientId: f.clientA.id, name: `Borrar ${n}`, kind: "surface" } }))
        .id,
    }),
  },
  "notifications.list": { scope: "notifications:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "notifications.create": {
    scope: "notifications:write",
    input: (_d, f) => ({ clientId: f.clientA.id, title: "Mantención programada" }),
  },
  "notifications.markRead": { scope: "notifications:read", input: (_d, f) => ({ id: f.a.notification.id }) },
  "notifications.delete": {
    scope: "notifications:write",
    input: async (prisma, f) => ({
      id: (
        await prisma.notification.create({
          data: { clientId: f.clientA.id, channel: "in_app", event: "manual", title: "x", body: "" },
        })
      ).id,
    }),
  },
  "notificationRules.list": { scope: "notifications:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "notificationRules.create": {
    scope: "notifications:write",
    input: (_d, f) => ({
      clientId: f.clientA.id,
      name: "Nueva",
      events: ["dga_failed"],
      channel: "in_app",
      target: "todos",
    }),
  },
  "notificationRules.update": {
    scope: "notifications:write",
    input: (_d, f) => ({
      id: f.a.rule.id,
      name: "Regla",
      events: ["point_offline"],
      channel: "email",
      target: "x@test.cl",
    }),
  },
  "notificationRules.delete": {
    scope: "notifications:write",
    input: async (prisma, f) => ({
      id: (
        await prisma.notificationRule.create({
          data: { clientId: f.clientA.id, name: "tmp", events: ["spike"], channel: "in_app", target: "x" },
        })
      ).id,
    }),
  },
  "users.list": { scope: "users:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "users.create": {
    scope: "users:write",
    input: (_d, f, n) => ({
      email: `nuevo${n}@test.cl`,
      name: "Nuevo",
      password: "Una-Clave-Larga-1",
      memberships: [{ clientId: f.clientA.id, role: "viewer" }],
    }),
  },
  "users.update": { scope: "users:write", input: (_d, f) => ({ id: f.users.viewerA.id, name: "Lector A" }) },
  "providers.listAccounts": { scope: "providers:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "providers.createAccount": {
    scope: "providers:write",
    input: (_d, f, n) => ({
      clientId: f.clientA.id,
      kind: "tdata",
      name: `TData ${n}`,
      baseUrl: "http://127.0.0.1:4011/tdata/v1",
      credentials: { username: "u", password: "p" },
    }),
  },
  "providers.updateAccount": { scope: "providers:write", input: (_d, f) => ({ id: f.a.account.id, name: "Tago A" }) },
  "providers.listBindings": { scope: "points:read", input: (_d, f) => ({ id: f.a.point.id }) },
  "providers.createBinding": {
    scope: "providers:write",
    input: (_d, f, n) => ({
      id: f.a.point.id,
      accountId: f.a.account.id,
      deviceRef: `dev-new-${n}`,
      variables: [{ variable: "level", key: "nivel", unit: "m" }],
    }),
  },
  "providers.deleteBinding": { scope: "providers:write", input: (_d, f) => ({ bindingId: f.a.binding.id }) },
  "providers.rejectedPayloads": { scope: "providers:read", input: (_d, f) => ({ id: f.a.account.id }) },
  "points.recordMeterChange": {
    scope: "points:write",
    input: (_d, f, n) => ({
      id: f.a.point.id,
      at: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
      newInitialM3: 0,
    }),
  },
  "points.meterChanges": { scope: "points:read", input: (_d, f) => ({ id: f.a.point.id }) },
  "informantes.list": { scope: "compliance:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "informantes.create": {
    scope: "informantes:write",
    input: (_d, f, n) => ({
      clientId: f.clientA.id,
      name: "Inf",
      rut: `${20000000 + n}-${dv(20000000 + n)}`,
      password: "clave-mee",
    }),
  },
  "informantes.update": {
    scope: "informantes:write",
    input: (_d, f) => ({ id: f.a.informante.id, password: "nueva-clave" }),
  },
  "apiKeys.list": { scope: "apikeys:write", input: () => ({}) },
  "apiKeys.create": {
    scope: "apikeys:write",
    input: (_d, f) => ({ clientId: f.clientA.id, name: "Integración", scopes: ["points:read"] }),
  },
  "apiKeys.revoke": {
    scope: "apikeys:write",
    input: async (prisma, f, n) => ({
      id: (
        await prisma.apiKey.create({
          data: { clientId: f.clientA.id, name: "tmp", prefix: "shk_tmp", hash: `h${n}${Math.random()}`, scopes: [] },
        })
      ).id,
    }),
  },
  "audit.list": { scope: "audit:read", input: () => ({}) },
  "collection.providers": { scope: "providers:read", input: () => ({}) },
  "collection.run": { scope: "collect:run", input: (_d, f) => ({ provider: "tago", bindingIds: [f.a.binding.id] }) },
  "collection.job": {
    scope: "providers:read",
    input: async (_d, f, n) => ({
      id: (
        await enqueueCollectJobs([
          // A distinct manual instant per call, so each gets its own job.
          { kind: "tago", data: { bindingId: f.a.binding.id, reason: "manual", at: new Date(n * 1000).toISOString() } },
        ])
      )[0]!.jobId,
    }),
  },
  "collection.status": { scope: "providers:read", input: () => ({ provider: "tago" }) },
  "analytics.history": {
    scope: "measurements:read",
    input: (_d, f) => ({ id: f.a.point.id, from: "2026-01-01T00:00:00Z", to: "2026-01-08T00:00:00Z", bucket: "hour" }),
  },
  "analytics.historyExport": {
    scope: "measurements:read",
    input: (_d, f) => ({ id: f.a.point.id, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", format: "csv" }),
  },
  "analytics.realtime": { scope: "measurements:read", input: (_d, f) => ({ id: f.a.point.id }) },
  "analytics.clientRealtime": { scope: "measurements:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "analytics.overview": { scope: "measurements:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "analytics.consumption": {
    scope: "measurements:read",
    input: (_d, f) => ({ clientId: f.clientA.id, granularity: "month" }),
  },
  "analytics.anomalies": { scope: "alerts:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "analytics.ackAnomaly": { scope: "alerts:ack", input: async (prisma, f, n) => ({ id: await anomaly(prisma, f, n) }) },
  "analytics.resolveAnomaly": {
    scope: "alerts:ack",
    input: async (prisma, f, n) => ({ id: await anomaly(prisma, f, n) }),
  },
  "forecast.point": { scope: "measurements:read", input: (_d, f) => ({ id: f.a.point.id }) },
  "forecast.client": { scope: "measurements:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "alertRules.list": { scope: "alerts:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "alertRules.preview": { scope: "alerts:read", input: (_d, f) => ({ id: f.a.point.id, rule: LEVEL_RULE }) },
  "alertRules.create": {
    scope: "notifications:write",
    input: (_d, f) => ({ clientId: f.clientA.id, pointId: f.a.point.id, ...LEVEL_RULE }),
  },
  "alertRules.update": {
    scope: "notifications:write",
    input: async (prisma, f) => ({
      id: (
        await prisma.alertRule.create({
          data: { clientId: f.clientA.id, ...LEVEL_RULE, channels: [...LEVEL_RULE.channels] },
        })
      ).id,
      ...LEVEL_RULE,
      threshold: 11,
    }),
  },
  "alertRules.delete": {
    scope: "notifications:write",
    input: async (prisma, f) => ({
      id: (
        await prisma.alertRule.create({
          data: { clientId: f.clientA.id, ...LEVEL_RULE, channels: [...LEVEL_RULE.channels] },
        })
      ).id,
    }),
  },
  "alertGroups.list": { scope: "alerts:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "alertGroups.create": {
    scope: "notifications:write",
    input: (_d, f, n) => ({ clientId: f.clientA.id, name: `Grupo ${n}`, pointIds: [f.a.point.id] }),
  },
  "alertGroups.update": {
    scope: "notifications:write",
    input: async (db, f, n) => ({
      id: (await db.pointGroup.create({ data: { clientId: f.clientA.id, name: `Grupo u${n}` } })).id,
      name: `Grupo v${n}`,
    }),
  },
  "alertGroups.delete": {
    scope: "notifications:write",
    input: async (db, f, n) => ({
      id: (await db.pointGroup.create({ data: { clientId: f.clientA.id, name: `Grupo d${n}` } })).id,
    }),
  },
  "alertDefaults.list": { scope: "alerts:read", input: (_d, f) => ({ clientId: f.clientA.id, pointId: f.a.point.id }) },
  "alertDefaults.set": {
    scope: "notifications:write",
    input: (_d, f) => ({ clientId: f.clientA.id, type: "level_drop", enabled: true, params: { levelDropMarginM: 2 } }),
  },
  "alertDefaults.reset": {
    scope: "notifications:write",
    input: (_d, f) => ({ clientId: f.clientA.id, type: "spike" }),
  },
  "alertDefaults.preview": {
    scope: "alerts:read",
    input: (_d, f) => ({ clientId: f.clientA.id, previewPointId: f.a.point.id, type: "spike", enabled: false }),
  },
  "reports.create": {
    scope: "reports:create",
    input: (_d, f) => ({ clientId: f.clientA.id, format: "csv", month: "2026-01" }),
  },
  "reports.get": {
    scope: "reports:read",
    input: async (prisma, f) => ({
      id: (
        await prisma.reportJob.create({
          data: { clientId: f.clientA.id, kind: "monthly", format: "pdf", params: { month: "2026-01" } },
        })
      ).id,
    }),
  },
  "reports.list": { scope: "reports:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "reports.months": { scope: "reports:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "reports.clientsMonth": { scope: "reports:read", input: (_d, f) => ({ clientId: f.clientA.id, month: "2026-01" }) },
  "compliance.calendar": { scope: "compliance:read", input: (_d, f) => ({ clientId: f.clientA.id, month: "2026-01" }) },
  "compliance.summary": {
    scope: "compliance:read",
    input: (_d, f) => ({ clientId: f.clientA.id, fromMonth: "2026-01", toMonth: "2026-02" }),
  },
  "compliance.matrix": { scope: "compliance:read", input: (_d, f) => ({ clientId: f.clientA.id, month: "2026-01" }) },
  "triage.client": { scope: "measurements:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "compliance.reviewQueue": { scope: "compliance:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "compliance.accept": {
    scope: "compliance:review",
    input: async (prisma, f, n) => ({
      slotId: await dgaSlot(prisma, f, n, "requires_review"),
      note: "Valor revisado en terreno",
      values: { flowLps: 12.5 },
    }),
  },
  "compliance.discard": {
    scope: "compliance:review",
    input: async (prisma, f, n) => ({
      slotId: await dgaSlot(prisma, f, n, "requires_review"),
      note: "Sensor en mantención",
    }),
  },
  "compliance.receipts": { scope: "compliance:read", input: (_d, f) => ({ clientId: f.clientA.id }) },
  "compliance.receiptsCsv": {
    scope: "compliance:read",
    input: (_d, f) => ({ clientId: f.clientA.id, month: "2026-01" }),
  },
  "compliance.verifyReceipt": {
    scope: "compliance:operate",
    input: async (prisma, f, n) => ({ slotId: await dgaSlot(prisma, f, n, "sent") }),
  },
  "compliance.setTransport": {
    scope: "compliance:operate",
    input: async (prisma, f, n) => ({
      pointId: (
        await prisma.capturePoint.create({ data: { clientId: f.clientA.id, name: `DGA ${n}`, kind: "groundwater" } })
      ).id,
      transport: "shadow",
    }),
  },
  "compliance.runCycle": { scope: "compliance:operate", input: () => ({}) },
  "compliance.slotAttempts": {
    scope: "compliance:read",
    input: async (prisma, f, n) => ({ slotId: await dgaSlot(prisma, f, n, "pending") }),
  },
};

const LEVEL_RULE = {
  name: "Nivel bajo",
  variable: "level",
  condition: "below",
  threshold: 12,
  unit: "m",
  durationMin: 30,
  hysteresis: 0.5,
  severity: "warning",
  channels: ["in_app"],
} as const;

function dv(body: number): string {
  let sum = 0;
  let factor = 2;
  for (const ch of String(body).split("").reverse()) {
    sum += Number(ch) * factor;
    factor = factor === 7 ? 2 : factor + 1;
  }
  const r = 11 - (sum % 11);
  return r === 11 ? "0" : r === 10 ? "K" : String(r);
}

/** A DGA slot of tenant A's point (a sent one carries a receipt and its attempt row). */
async function dgaSlot(
  prisma: Db,
  f: Fixture,
  n: number,
  state: "requires_review" | "sent" | "pending",
): Promise<number> {
  const slotAt = new Date(Date.UTC(2026, 0, 1, 4) + n * 3_600_000);
  const receipt = state === "sent" ? `R${String(n).padStart(31, "0")}` : null;
  const slot = await prisma.dgaSlot.create({
    data: {
      pointId: f.a.point.id,
      slotAt,
      standard: "mayor",
      state,
      reasons: state === "requires_review" ? ["flow_missing"] : [],
      flowLps: 10,
      totalizerM3: 1000,
      levelM: 5,
      receipt,
    },
  });
  if (receipt) {
    const medicionSubterranea = {
      caudal: "10.00",
      fechaMedicion: "2026-01-01",
      horaMedicion: "00:00:00",
      nivelFreaticoDelPozo: "5.00",
      totalizador: "1000",
    };
    await prisma.dgaAttempt.create({
      data: {
        slotId: slot.id,
        startedAt: slotAt,
        durationMs: 1,
        url: "http://127.0.0.1:9/api/v1/mediciones/subterraneas",
        request: { body: { medicionSubterranea } },
        outcome: "sent",
        receipt,
      },
    });
  }
  return Number(slot.id);
}

/** An open anomaly of tenant A's point. */
async function anomaly(prisma: Db, f: Fixture, n: number): Promise<number> {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 3_600_000);
  const a = await prisma.anomaly.create({
    data: {
      clientId: f.clientA.id,
      pointId: f.a.point.id,
      type: "baseline_flow",
      reason: "prueba",
      dedupeKey: `matrix-${n}-${Math.random()}`,
      startedAt: at,
      lastSeenAt: at,
    },
  });
  return a.id;
}
