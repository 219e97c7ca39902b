import { z } from "zod";
import { defineOperation } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { AppError } from "@/domain/errors";
import {
  BUILTIN_RULES,
  BUILTIN_TYPES,
  BuiltinOverrideSchema,
  resolveBuiltins,
  type OverrideScope,
  type ScopedOverride,
} from "@/domain/alert-rules/builtin";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { BUILTIN_DEFAULTS, previewBuiltinOnPoint } from "@/server/alert-rules/builtin";

/**
 * Built-in anomaly rules as editable defaults (issue #20): per client, group or point a manager switches one off
 * or tunes its parameters; the most specific override applies (point > group > client > default).
 */
const TargetSchema = z
  .object({ clientId: IdSchema, groupId: IdSchema.nullish(), pointId: IdSchema.nullish() })
  .refine((t) => t.groupId == null || t.pointId == null, {
    path: ["groupId"],
    message: "Un ajuste es de un punto o de un grupo, no ambos",
  });
type Target = z.infer<typeof TargetSchema>;

const scopeOf = (t: Target): OverrideScope => (t.pointId ? "point" : t.groupId ? "group" : "client");
const scopeKey = (t: Target) => (t.pointId ? `point:${t.pointId}` : t.groupId ? `group:${t.groupId}` : "client");

async function checkTarget(db: Db, t: Target): Promise<void> {
  if (t.pointId) {
    const p = await db.capturePoint.findUnique({ where: { id: t.pointId }, select: { clientId: true } });
    if (!p || p.clientId !== t.clientId) throw new AppError("NOT_FOUND", "Punto no encontrado");
  }
  if (t.groupId) {
    const g = await db.pointGroup.findUnique({ where: { id: t.groupId }, select: { clientId: true } });
    if (!g || g.clientId !== t.clientId) throw new AppError("NOT_FOUND", "Grupo no encontrado");
  }
}

/** Overrides that reach the target: the client's, the group's (of the point, or the target group), the point's. */
async function reaching(db: Db, t: Target): Promise<(ScopedOverride & { scopeKey: string })[]> {
  const groupId = t.pointId
    ? ((await db.pointGroupMember.findUnique({ where: { pointId: t.pointId }, select: { groupId: true } }))?.groupId ??
      null)
    : (t.groupId ?? null);
  const keys = ["client", ...(groupId ? [`group:${groupId}`] : []), ...(t.pointId ? [`point:${t.pointId}`] : [])];
  const rows = await db.builtinRuleOverride.findMany({ where: { clientId: t.clientId, scopeKey: { in: keys } } });
  return rows.flatMap((r) => {
    const o = BuiltinOverrideSchema.safeParse({ type: r.type, enabled: r.enabled, params: r.params });
    const scope: OverrideScope = r.pointId ? "point" : r.groupId ? "group" : "client";
    return o.success ? [{ ...o.data, scope, scopeKey: r.scopeKey }] : [];
  });
}

export const alertDefaultOps = {
  list: defineOperation({
    summary: "Reglas integradas con su ajuste efectivo para el cliente, un grupo o un punto",
    kind: "query",
    scope: "alerts:read",
    tenant: { kind: "client" },
    module: "alerts",
    input: TargetSchema,
    rest: { method: "GET", path: "/alert-defaults" },
    handler: async ({ prisma: db }, t) => {
      await checkTarget(db, t);
      const all = await reaching(db, t);
      const resolved = resolveBuiltins(all);
      const here = scopeOf(t);
      return BUILTIN_RULES.map((def) => {
        const own = all.find((o) => o.type === def.type && o.scope === here) ?? null;
        return {
          type: def.type,
          label: def.label,
          text: def.text,
          paramDefs: def.params,
          enabled: !resolved.disabled.has(def.type),
          params: Object.fromEntries(def.params.map((p) => [p.key, resolved.options[p.key]])),
          defaults: Object.fromEntries(def.params.map((p) => [p.key, BUILTIN_DEFAULTS[p.key]])),
          /** Where the effective setting comes from ("default" when nobody tuned it). */
          source: resolved.source[def.type] ?? "default",
          override: own ? { enabled: own.enabled, params: own.params } : null,
        };
      });
    },
  }),
  set: defineOperation({
    summary: "Activar, desactivar o ajustar una regla integrada para el cliente, un grupo o un punto",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    module: "alerts",
    input: z.object({ ...TargetSchema.shape }).and(BuiltinOverrideSchema),
    rest: { method: "PUT", path: "/alert-defaults" },
    handler: async ({ prisma: db, audit }, i) => {
      const t = TargetSchema.parse(i);
      await checkTarget(db, t);
      const key = scopeKey(t);
      const data = { enabled: i.enabled, params: i.params };
      const r = await db.builtinRuleOverride.upsert({
        where: { clientId_scopeKey_type: { clientId: t.clientId, scopeKey: key, type: i.type } },
        create: {
          clientId: t.clientId,
          groupId: t.groupId ?? null,
          pointId: t.pointId ?? null,
          scopeKey: key,
          type: i.type,
          ...data,
        },
        update: data,
      });
      await audit({ entity: "builtin_rule_override", entityId: r.id, after: r });
      return { id: r.id, type: i.type, scope: scopeOf(t), ...data };
    },
  }),
  reset: defineOperation({
    summary: "Volver una regla integrada al ajuste heredado (quita el ajuste de este destino)",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    module: "alerts",
    input: z.object({ ...TargetSchema.shape, type: z.enum(BUILTIN_TYPES) }),
    rest: { method: "DELETE", path: "/alert-defaults" },
    handler: async ({ prisma: db, audit }, i) => {
      const t = TargetSchema.parse(i);
      const n = await db.builtinRuleOverride.deleteMany({
        where: { clientId: t.clientId, scopeKey: scopeKey(t), type: i.type },
      });
      await audit({ entity: "builtin_rule_override", entityId: null, before: { scopeKey: scopeKey(t), type: i.type } });
      return { removed: n.count };
    },
  }),
  preview: defineOperation({
    summary: "Probar un ajuste de regla integrada sobre los últimos 30 días de un punto",
    kind: "query",
    scope: "alerts:read",
    tenant: { kind: "client" },
    module: "alerts",
    input: z.object({ ...TargetSchema.shape, previewPointId: IdSchema }).and(BuiltinOverrideSchema),
    rest: { method: "POST", path: "/alert-defaults/preview" },
    handler: async ({ prisma: db }, i) => {
      const t = TargetSchema.parse(i);
      await checkTarget(db, t);
      await checkTarget(db, { clientId: t.clientId, pointId: i.previewPointId });
      return previewBuiltinOnPoint(
        getPgPool(),
        i.previewPointId,
        { type: i.type, enabled: i.enabled, params: i.params, scope: scopeOf(t) },
        new Date(),
      );
    },
  }),
};
