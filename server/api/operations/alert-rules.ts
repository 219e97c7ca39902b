import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { AppError } from "@/domain/errors";
import { AlertRuleBaseSchema, AlertRuleSpecSchema, describeRule, refineRule } from "@/domain/alert-rules/rule";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { previewOnPoint } from "@/server/alert-rules/preview";
import { pointTenant } from "./points";

const alertRuleTenant = recordTenant(
  async (prisma: Db, input: { id: number }) =>
    (await prisma.alertRule.findUnique({ where: { id: input.id }, select: { clientId: true } }))?.clientId ?? null,
);
const select = {
  id: true,
  clientId: true,
  pointId: true,
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
} as const;

async function checkPoint(prisma: Db, clientId: number, pointId: number | null | undefined): Promise<void> {
  if (pointId == null) return;
  const p = await prisma.capturePoint.findUnique({ where: { id: pointId }, select: { clientId: true } });
  if (!p || p.clientId !== clientId) throw new AppError("NOT_FOUND", "Punto no encontrado");
}

function withText<T extends { name: string }>(r: T): T & { text: string } {
  const spec = AlertRuleSpecSchema.safeParse(r);
  return { ...r, text: spec.success ? describeRule(spec.data) : r.name };
}

export const alertRuleOps = {
  list: defineOperation({
    summary: "Reglas de alerta del cliente (o de un punto)",
    kind: "query",
    scope: "alerts:read",
    tenant: { kind: "client" },
    module: "alerts",
    input: z.object({ clientId: IdSchema, pointId: IdSchema.optional() }),
    rest: { method: "GET", path: "/alert-rules" },
    handler: async ({ prisma }, input) =>
      (
        await prisma.alertRule.findMany({
          where: {
            clientId: input.clientId,
            ...(input.pointId ? { OR: [{ pointId: input.pointId }, { pointId: null }] } : {}),
          },
          select,
          orderBy: { id: "asc" },
        })
      ).map(withText),
  }),
  preview: defineOperation({
    summary: "Probar una regla sobre los últimos 30 días del punto: cuántas veces habría disparado",
    kind: "query",
    scope: "alerts:read",
    tenant: pointTenant,
    module: "alerts",
    input: z.object({ id: IdSchema, rule: AlertRuleSpecSchema }),
    rest: { method: "POST", path: "/points/{id}/alert-rules/preview" },
    handler: async (_ctx, input) => ({
      text: describeRule(input.rule),
      ...(await previewOnPoint(getPgPool(), input.id, input.rule, new Date())),
    }),
  }),
  create: defineOperation({
    summary: "Crear una regla de alerta (en un punto o en todos los del cliente)",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    module: "alerts",
    input: AlertRuleBaseSchema.extend({
      clientId: IdSchema,
      pointId: IdSchema.nullish(),
      active: z.boolean().default(true),
    }).superRefine(refineRule),
    rest: { method: "POST", path: "/alert-rules", status: 201 },
    handler: async ({ prisma, audit }, input) => {
      await checkPoint(prisma, input.clientId, input.pointId);
      const r = await prisma.alertRule.create({ data: { ...input, pointId: input.pointId ?? null }, select });
      await audit({ entity: "alert_rule", entityId: r.id, after: r });
      return r;
    },
  }),
  update: defineOperation({
    summary: "Modificar una regla de alerta",
    kind: "mutation",
    scope: "notifications:write",
    tenant: alertRuleTenant,
    module: "alerts",
    input: AlertRuleBaseSchema.extend({ id: IdSchema, active: z.boolean().default(true) }).superRefine(refineRule),
    rest: { method: "PUT", path: "/alert-rules/{id}" },
    handler: async ({ prisma, audit }, { id, ...data }) => {
      const before = await prisma.alertRule.findUnique({ where: { id }, select });
      if (!before) throw new AppError("NOT_FOUND", "Regla no encontrada");
      // A changed rule starts its episodes afresh: the old state belongs to the old condition.
      const after = await prisma.$transaction(async (tx) => {
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
    handler: async ({ prisma, audit }, { id }) => {
      const before = await prisma.alertRule.delete({ where: { id }, select });
      await audit({ entity: "alert_rule", entityId: id, before });
      return { id };
    },
  }),
};
