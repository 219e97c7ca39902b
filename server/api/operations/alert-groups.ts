import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { AppError } from "@/domain/errors";
import type { Db } from "@/server/db";

/**
 * Groups of points (issue #20): a named set of a client's points that alert rules and built-in overrides can
 * target. A point is in at most one group; adding it to a group moves it out of its previous one.
 */
const groupTenant = recordTenant(
  async (db: Db, i: { id: number }) =>
    (await db.pointGroup.findUnique({ where: { id: i.id }, select: { clientId: true } }))?.clientId ?? null,
);
const select = {
  id: true,
  clientId: true,
  name: true,
  members: { select: { point: { select: { id: true, name: true } } }, orderBy: { pointId: "asc" } },
} as const;
type Row = { id: number; clientId: number; name: string; members: { point: { id: number; name: string } }[] };
const shape = (g: Row) => ({
  id: g.id,
  clientId: g.clientId,
  name: g.name,
  points: g.members.map((m) => m.point),
  pointIds: g.members.map((m) => m.point.id),
});

const GroupSchema = z.object({
  name: z.string().trim().min(2).max(80),
  pointIds: z.array(IdSchema).max(5000).default([]),
});

async function checkPoints(db: Db, clientId: number, pointIds: readonly number[]): Promise<void> {
  if (pointIds.length === 0) return;
  const n = await db.capturePoint.count({ where: { id: { in: [...new Set(pointIds)] }, clientId } });
  if (n !== new Set(pointIds).size) throw new AppError("NOT_FOUND", "Punto no encontrado");
}

async function setMembers(db: Db, groupId: number, pointIds: readonly number[]): Promise<void> {
  await db.$transaction([
    // Episode state of group rules belongs to the membership: a point that leaves a group starts afresh elsewhere.
    db.alertRuleState.deleteMany({ where: { rule: { groupId }, pointId: { notIn: [...pointIds] } } }),
    db.alertRuleState.deleteMany({
      where: { pointId: { in: [...pointIds] }, rule: { groupId: { not: null }, NOT: { groupId } } },
    }),
    db.pointGroupMember.deleteMany({ where: { groupId, pointId: { notIn: [...pointIds] } } }),
    db.pointGroupMember.deleteMany({ where: { pointId: { in: [...pointIds] }, groupId: { not: groupId } } }),
    db.pointGroupMember.createMany({
      data: pointIds.map((pointId) => ({ pointId, groupId })),
      skipDuplicates: true,
    }),
  ]);
}

async function uniqueName(db: Db, clientId: number, name: string, exceptId?: number): Promise<void> {
  const dup = await db.pointGroup.findFirst({
    where: { clientId, name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (dup) throw new AppError("CONFLICT", "Ya existe un grupo con ese nombre");
}

export const alertGroupOps = {
  list: defineOperation({
    summary: "Grupos de puntos del cliente (destino de reglas de alerta)",
    kind: "query",
    scope: "alerts:read",
    tenant: { kind: "client" },
    module: "alerts",
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/alert-groups" },
    handler: async ({ prisma: db }, i) =>
      (await db.pointGroup.findMany({ where: { clientId: i.clientId }, select, orderBy: { name: "asc" } })).map(shape),
  }),
  create: defineOperation({
    summary: "Crear un grupo de puntos",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    module: "alerts",
    input: GroupSchema.extend({ clientId: IdSchema }),
    rest: { method: "POST", path: "/alert-groups", status: 201 },
    handler: async ({ prisma: db, audit }, i) => {
      await checkPoints(db, i.clientId, i.pointIds);
      await uniqueName(db, i.clientId, i.name);
      const g = await db.pointGroup.create({ data: { clientId: i.clientId, name: i.name }, select: { id: true } });
      await setMembers(db, g.id, i.pointIds);
      const after = shape((await db.pointGroup.findUnique({ where: { id: g.id }, select }))!);
      await audit({ entity: "point_group", entityId: g.id, after });
      return after;
    },
  }),
  update: defineOperation({
    summary: "Renombrar un grupo o cambiar sus puntos",
    kind: "mutation",
    scope: "notifications:write",
    tenant: groupTenant,
    module: "alerts",
    input: GroupSchema.extend({ id: IdSchema }),
    rest: { method: "PUT", path: "/alert-groups/{id}" },
    handler: async ({ prisma: db, audit }, i) => {
      const before = await db.pointGroup.findUnique({ where: { id: i.id }, select });
      if (!before) throw new AppError("NOT_FOUND", "Grupo no encontrado");
      await checkPoints(db, before.clientId, i.pointIds);
      await uniqueName(db, before.clientId, i.name, i.id);
      await db.pointGroup.update({ where: { id: i.id }, data: { name: i.name } });
      await setMembers(db, i.id, i.pointIds);
      const after = shape((await db.pointGroup.findUnique({ where: { id: i.id }, select }))!);
      await audit({ entity: "point_group", entityId: i.id, before: shape(before), after });
      return after;
    },
  }),
  delete: defineOperation({
    summary: "Eliminar un grupo de puntos (y las reglas y ajustes que lo tienen como destino)",
    kind: "mutation",
    scope: "notifications:write",
    tenant: groupTenant,
    module: "alerts",
    input: z.object({ id: IdSchema }),
    rest: { method: "DELETE", path: "/alert-groups/{id}" },
    handler: async ({ prisma: db, audit }, { id }) => {
      const before = await db.pointGroup.delete({ where: { id }, select });
      await audit({ entity: "point_group", entityId: id, before: shape(before) });
      return { id };
    },
  }),
};
