import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { IdSchema } from "@/domain/schemas/common";
import { PointConfigSchema, PointCreateSchema } from "@/domain/schemas/point";
import { POINT_KINDS } from "@/domain/dga/contract";
import { DGA_STANDARDS } from "@/domain/dga/standards";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { setGoLive } from "@/server/dga/compliance-write";
import { memoPointClient } from "@/server/api/request-memo";

/** The client owning a point (memoised in the REST API process, server/api/request-memo.ts). */
export const clientOfPoint = (prisma: Db, pointId: number): Promise<number | null> =>
  memoPointClient(
    pointId,
    async () =>
      (await prisma.capturePoint.findUnique({ where: { id: pointId }, select: { clientId: true } }))?.clientId ?? null,
  );

export const pointTenant = recordTenant((prisma: Db, input: { id: number }) => clientOfPoint(prisma, input.id));

const pointSelect = {
  id: true,
  clientId: true,
  name: true,
  kind: true,
  obraCode: true,
  dgaStandard: true,
  grantedFlowLps: true,
  annualVolumeM3: true,
  latitude: true,
  longitude: true,
  region: true,
  shac: true,
  wellDepthM: true,
  sensorInstallDepthM: true,
  levelMode: true,
  pulseFactorL: true,
  expectedIntervalMin: true,
  status: true,
  dgaTransport: true,
  dgaGoLiveAt: true,
  informanteId: true,
  waterYearStartMonth: true,
  pumpIntakeDepthM: true,
  forecastLeadDays: true,
  createdAt: true,
  updatedAt: true,
  client: { select: { name: true } },
  bindings: { select: { id: true, deviceRef: true, account: { select: { id: true, kind: true, name: true } } } },
} as const;

async function checkInformante(prisma: Db, clientId: number, informanteId: number | null | undefined) {
  if (informanteId == null) return;
  const inf = await prisma.dgaInformante.findUnique({ where: { id: informanteId }, select: { clientId: true } });
  if (!inf || inf.clientId !== clientId) throw new AppError("BAD_INPUT", "El informante no pertenece a este cliente");
}

/** Switching a point to live starts its DGA obligation now, unless staff already set the start (docs/DGA.md §1). */
function goLiveOnSwitch(
  before: { dgaTransport: string; dgaGoLiveAt: Date | null } | null,
  transport: string | undefined,
) {
  if (transport !== "live" || before?.dgaTransport === "live" || before?.dgaGoLiveAt) return {};
  return { dgaGoLiveAt: new Date(), dgaSlotsCompleteUntil: null };
}

export const pointOps = {
  list: defineOperation({
    summary: "Puntos de captación visibles",
    kind: "query",
    scope: "points:read",
    tenant: { kind: "platform" },
    input: z
      .object({
        clientId: IdSchema.optional(),
        q: z.string().optional(),
        standard: z.enum(DGA_STANDARDS).optional(),
        kind: z.enum(POINT_KINDS).optional(),
        region: z.string().optional(),
      })
      .default({}),
    rest: { method: "GET", path: "/points" },
    handler: async ({ prisma, principal }, input) => {
      const ids = visibleClientIds(principal);
      if (input.clientId && ids && !ids.includes(input.clientId)) return [];
      const clientFilter = input.clientId ? { clientId: input.clientId } : ids ? { clientId: { in: ids } } : {};
      return prisma.capturePoint.findMany({
        where: {
          ...clientFilter,
          ...(input.q
            ? {
                OR: [
                  { name: { contains: input.q, mode: "insensitive" as const } },
                  { obraCode: { contains: input.q, mode: "insensitive" as const } },
                ],
              }
            : {}),
          ...(input.standard ? { dgaStandard: input.standard } : {}),
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.region ? { region: input.region } : {}),
        },
        select: pointSelect,
        orderBy: [{ clientId: "asc" }, { name: "asc" }],
      });
    },
  }),
  get: defineOperation({
    summary: "Detalle de un punto",
    kind: "query",
    scope: "points:read",
    tenant: pointTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "GET", path: "/points/{id}" },
    handler: async ({ prisma }, { id }) => {
      const p = await prisma.capturePoint.findUnique({ where: { id }, select: pointSelect });
      if (!p) throw new AppError("NOT_FOUND", "Punto no encontrado");
      return p;
    },
  }),
  create: defineOperation({
    summary: "Crear un punto de captación",
    kind: "mutation",
    scope: "points:write",
    tenant: { kind: "client" },
    input: PointCreateSchema,
    rest: { method: "POST", path: "/points", status: 201 },
    handler: async ({ prisma, audit }, input) => {
      await checkInformante(prisma, input.clientId, input.informanteId);
      if (input.obraCode && (await prisma.capturePoint.findUnique({ where: { obraCode: input.obraCode } })))
        throw new AppError("CONFLICT", "Ya existe un punto con ese código de obra");
      const p = await prisma.capturePoint.create({
        data: { ...input, ...goLiveOnSwitch(null, input.dgaTransport) },
        select: pointSelect,
      });
      await audit({ entity: "capture_point", entityId: p.id, after: p });
      return p;
    },
  }),
  updateConfig: defineOperation({
    summary: "Modificar la configuración de un punto",
    kind: "mutation",
    scope: "points:write",
    tenant: pointTenant,
    input: PointConfigSchema.partial().extend({ id: IdSchema }),
    rest: { method: "PUT", path: "/points/{id}/config" },
    handler: async ({ prisma, audit, clientId }, { id, ...data }) => {
      await checkInformante(prisma, clientId!, data.informanteId);
      const before = await prisma.capturePoint.findUnique({ where: { id }, select: pointSelect });
      if (
        data.obraCode &&
        data.obraCode !== before?.obraCode &&
        (await prisma.capturePoint.findUnique({ where: { obraCode: data.obraCode } }))
      )
        throw new AppError("CONFLICT", "Ya existe un punto con ese código de obra");
      const after = await prisma.capturePoint.update({
        where: { id },
        data: { ...data, ...goLiveOnSwitch(before, data.dgaTransport) },
        select: pointSelect,
      });
      await audit({ entity: "capture_point", entityId: id, before, after });
      return after;
    },
  }),
  delete: defineOperation({
    summary: "Desactivar un punto (se conservan sus datos)",
    kind: "mutation",
    scope: "points:write",
    tenant: pointTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "DELETE", path: "/points/{id}" },
    handler: async ({ prisma, audit }, { id }) => {
      const before = await prisma.capturePoint.findUnique({ where: { id }, select: pointSelect });
      // Measurements and DGA receipts are evidence: a point is deactivated, never erased.
      const after = await prisma.capturePoint.update({
        where: { id },
        data: { status: "inactive", dgaTransport: "off" },
        select: pointSelect,
      });
      await audit({ entity: "capture_point", entityId: id, before, after });
      return after;
    },
  }),
  setDgaGoLive: defineOperation({
    summary: "Fijar el inicio de la obligación DGA de un punto (solo personal SmartHydro, auditado)",
    kind: "mutation",
    scope: "compliance:operate",
    tenant: pointTenant,
    module: "dga",
    input: z.object({
      id: IdSchema,
      goLiveAt: z.coerce.date().nullable(),
      note: z.string().trim().min(3, "La nota es obligatoria").max(1000),
    }),
    rest: { method: "PUT", path: "/points/{id}/dga-go-live" },
    handler: async ({ audit, principal }, { id, goLiveAt, note }) => {
      const r = await setGoLive(getPgPool(), { pointId: id, goLiveAt, actor: principal.label }, new Date());
      await audit({
        action: "points.setDgaGoLive",
        entity: "capture_point",
        entityId: id,
        clientId: r.clientId,
        before: r.before,
        after: { ...r.after, note },
      });
      return { id, ...r.after };
    },
  }),
};
