import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { AppError } from "@/domain/errors";
import {
  AlertRuleBaseSchema,
  AlertRuleSpecSchema,
  describeRule,
  refineRule,
  type AlertRuleSpec,
} from "@/domain/alert-rules/rule";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { previewOnPoint } from "@/server/alert-rules/preview";
import { pointTenant } from "./points";

const alertRuleTenant = recordTenant(
  async (db: Db, i: { id: number }) =>
    (await db.alertRule.findUnique({ where: { id: i.id }, select: { clientId: true } }))?.clientId ?? null,
);
const select = {
  id: true,
  clientId: true,
  pointId: true,
  groupId: true,
  schedule: true,
  name: true,
  variable: true,
  condition: true,
  threshold: true,
  unit: true,
  durationMin: true,
  hysteresis: true,
  severity: true,
  channels: true,
  active: true,
  createdAt: true,
  updatedAt: true,
  point: { select: { name: true } },
  group: { select: { name: true } },
} as const;

/** A rule targets one point, one group, or (neither) every point of the client. */
const TargetSchema = z.object({ pointId: IdSchema.nullish(), groupId: IdSchema.nullish() });
const targetRefine = (t: z.infer<typeof TargetSchema>, ctx: z.RefinementCtx) => {
  if (t.pointId != null && t.groupId != null)
    ctx.addIssue({ code: "custom", path: ["groupId"], message: "Una regla es de un punto o de un grupo, no ambos" });
};

async function checkGroup(db: Db, clientId: number, groupId: number | null | undefined): Promise<void> {
  if (groupId == null) return;
  const g = await db.pointGroup.findUnique({ where: { id: groupId }, select: { clientId: true } });
  if (!g || g.clientId !== clientId) throw new AppError("NOT_FOUND", "Grupo no encontrado");
}

/** The schedule column: SQL NULL when the rule runs always. */
const scheduleData = (s: AlertRuleSpec["schedule"]) => (s ? (s as Prisma.InputJsonValue) : Prisma.DbNull);

async function checkPoint(db: Db, clientId: number, pointId: number | null | undefined): Promise<void> {
  if (pointId == null) return;
  const p = await db.capturePoint.findUnique({ where: { id: pointId }, select: { clientId: true } });
  if (!p || p.clientId !== clientId) throw new AppError("NOT_FOUND", "Punto no encontrado");
}

function withText<T extends { name: string }>(r: T): T & { text: string } {
  const spec = AlertRuleSpecSchema.safeParse(r);
  return { ...r, text: spec.success ? describeRule(spec.data) : r.name };
}

export const alertRuleOps = {
  list: defineOperation({
    summary: "Reglas de alerta del cliente (o las que aplican a un punto: del punto, de su grupo y del cliente)",
    kind: "query",
    scope: "alerts:read",
    tenant: { kind: "client" },
    module: "alerts",
    input: z.object({ clientId: IdSchema, pointId: IdSchema.optional() }),
    rest: { method: "GET", path: "/alert-rules" },
    handler: async ({ prisma: db }, i) => {
      const groupId = i.pointId
        ? ((await db.pointGroupMember.findUnique({ where: { pointId: i.pointId }, select: { groupId: true } }))
            ?.groupId ?? null)
        : null;
      const applies = [
        { pointId: i.pointId },
        { pointId: null, groupId: null },
        ...(groupId ? [{ pointId: null, groupId }] : []),
      ];
      return (
        await db.alertRule.findMany({
          where: { clientId: i.clientId, ...(i.pointId ? { OR: applies } : {}) },
          select,
          orderBy: { id: "asc" },
        })
      ).map(withText);
    },
  }),
  preview: defineOperation({
    summary: "Probar una regla sobre los últimos 30 días del punto: cuántas veces habría disparado",
    kind: "query",
    scope: "alerts:read",
    tenant: pointTenant,
    module: "alerts",
    input: z.object({ id: IdSchema, rule: AlertRuleSpecSchema }),
    rest: { method: "POST", path: "/points/{id}/alert-rules/preview" },
    handler: async (_ctx, i) => ({
      text: describeRule(i.rule),
      ...(await previewOnPoint(getPgPool(), i.id, i.rule, new Date())),
    }),
  }),
  create: defineOperation({
    summary: "Crear una regla de alerta (en un punto, en un grupo de puntos o en todos los del cliente)",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    module: "alerts",
    input: AlertRuleBaseSchema.extend({
      clientId: IdSchema,
      active: z.boolean().default(true),
      ...TargetSchema.shape,
    }).superRefine((r, ctx) => {
      refineRule(r, ctx);
      targetRefine(r, ctx);
    }),
    rest: { method: "POST", path: "/alert-rules", status: 201 },
    handler: async ({ prisma: db, audit }, i) => {
      await checkPoint(db, i.clientId, i.pointId);
      await checkGroup(db, i.clientId, i.groupId);
      const r = await db.alertRule.create({
        data: { ...i, pointId: i.pointId ?? null, groupId: i.groupId ?? null, schedule: scheduleData(i.schedule) },
        select,
      });
      await audit({ entity: "alert_rule", entityId: r.id, after: r });
      return r;
    },
  }),
  update: defineOperation({
    summary: "Modificar una regla de alerta (condición, horario, destino)",
    kind: "mutation",
    scope: "notifications:write",
    tenant: alertRuleTenant,
    module: "alerts",
    input: AlertRuleBaseSchema.extend({
      id: IdSchema,
      active: z.boolean().default(true),
      ...TargetSchema.shape,
    }).superRefine((r, ctx) => {
      refineRule(r, ctx);
      targetRefine(r, ctx);
    }),
    rest: { method: "PUT", path: "/alert-rules/{id}" },
    handler: async ({ prisma: db, audit }, { id, schedule, ...rest }) => {
      const before = await db.alertRule.findUnique({ where: { id }, select });
      if (!before) throw new AppError("NOT_FOUND", "Regla no encontrada");
      await checkPoint(db, before.clientId, rest.pointId);
      await checkGroup(db, before.clientId, rest.groupId);
      // Target: omitted keeps it; naming a point or a group clears the other; both null = every point of the client.
      const target =
        rest.pointId === undefined && rest.groupId === undefined
          ? {}
          : { pointId: rest.pointId ?? null, groupId: rest.groupId ?? null };
      const data = { ...rest, ...target, schedule: scheduleData(schedule) };
      // A changed rule starts its episodes afresh: the old state belongs to the old condition.
      const after = await db.$transaction(async (tx) => {
        await tx.alertRuleState.deleteMany({ where: { ruleId: id } });
        return tx.alertRule.update({ where: { id }, data, select });
      });
      await audit({ entity: "alert_rule", entityId: id, before, after });
      return after;
    },
  }),
  delete: defineOperation({
    summary: "Eliminar una regla de alerta",
    kind: "mutation",
    scope: "notifications:write",
    tenant: alertRuleTenant,
    module: "alerts",
    input: z.object({ id: IdSchema }),
    rest: { method: "DELETE", path: "/alert-rules/{id}" },
    handler: async ({ prisma: db, audit }, { id }) => {
      const before = await db.alertRule.delete({ where: { id }, select });
      await audit({ entity: "alert_rule", entityId: id, before });
      return { id };
    },
  }),
};
