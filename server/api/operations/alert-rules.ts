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
  async (db: Db, i: { id: number }) =>
    (await db.alertRule.findUnique({ where: { id: i.id }, select: { clientId: true } }))?.clientId ?? null,
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

async function checkPoint(db: Db, clientId: number, pointId: number | null | undefined): Promise<void> {
  if (pointId == null) return;
  const p = await db.capturePoint.findUnique({ where: { id: pointId }, select: { clientId: true } });
  if (!p || p.clientId !== clientId) throw new AppError("NOT_FOUND", "Punto no encontrado");
}

function withText<T extends { name: string }>(r: T): T & { text: string } {
  const spec = AlertRuleSpecSchema.safeParse(r);
  return { ...r, text: spec.success ? describeRule(spec.data) : r.name };
}

export const listAlertRules = defineOperation({
  name: "alertRules.list",
  summary: "Reglas de alerta del cliente (o de un punto)",
  kind: "query",
  scope: "alerts:read",
  tenant: { kind: "client" },
  module: "alerts",
  input: z.object({ clientId: IdSchema, pointId: IdSchema.optional() }),
  rest: { method: "GET", path: "/alert-rules" },
  handler: async ({ db }, i) =>
    (
      await db.alertRule.findMany({
        where: { clientId: i.clientId, ...(i.pointId ? { OR: [{ pointId: i.pointId }, { pointId: null }] } : {}) },
        select,
        orderBy: { id: "asc" },
      })
    ).map(withText),
});

export const previewAlertRule = defineOperation({
  name: "alertRules.preview",
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
});

export const createAlertRule = defineOperation({
  name: "alertRules.create",
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
  handler: async ({ db, audit }, i) => {
    await checkPoint(db, i.clientId, i.pointId);
    const r = await db.alertRule.create({ data: { ...i, pointId: i.pointId ?? null }, select });
    await audit({ entity: "alert_rule", entityId: r.id, after: r });
    return r;
  },
});

export const updateAlertRule = defineOperation({
  name: "alertRules.update",
  summary: "Modificar una regla de alerta",
  kind: "mutation",
  scope: "notifications:write",
  tenant: alertRuleTenant,
  module: "alerts",
  input: AlertRuleBaseSchema.extend({ id: IdSchema, active: z.boolean().default(true) }).superRefine(refineRule),
  rest: { method: "PUT", path: "/alert-rules/{id}" },
  handler: async ({ db, audit }, { id, ...data }) => {
    const before = await db.alertRule.findUnique({ where: { id }, select });
    if (!before) throw new AppError("NOT_FOUND", "Regla no encontrada");
    // A changed rule starts its episodes afresh: the old state belongs to the old condition.
    const after = await db.$transaction(async (tx) => {
      await tx.alertRuleState.deleteMany({ where: { ruleId: id } });
      return tx.alertRule.update({ where: { id }, data, select });
    });
    await audit({ entity: "alert_rule", entityId: id, before, after });
    return after;
  },
});

export const deleteAlertRule = defineOperation({
  name: "alertRules.delete",
  summary: "Eliminar una regla de alerta",
  kind: "mutation",
  scope: "notifications:write",
  tenant: alertRuleTenant,
  module: "alerts",
  input: z.object({ id: IdSchema }),
  rest: { method: "DELETE", path: "/alert-rules/{id}" },
  handler: async ({ db, audit }, { id }) => {
    const before = await db.alertRule.delete({ where: { id }, select });
    await audit({ entity: "alert_rule", entityId: id, before });
    return { id };
  },
});
