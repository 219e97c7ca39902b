import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { IdSchema } from "@/domain/schemas/common";
import type { Db } from "@/server/db";
import { NOTIFICATION_EVENTS } from "@/domain/notifications/events";
import { encryptSecret } from "@/server/crypto";
import { env } from "@/server/env";
import { assertWebhookTarget, newWebhookSecret, parseAllowlist } from "@/server/webhooks/outbound";

const CHANNELS = ["in_app", "email", "webhook"] as const;
const SEVERITIES = ["info", "warning", "critical"] as const;

const notifTenant = recordTenant(
  async (prisma: Db, input: { id: number }) =>
    (await prisma.notification.findUnique({ where: { id: input.id }, select: { clientId: true } }))?.clientId ?? null,
);
const ruleTenant = recordTenant(
  async (prisma: Db, input: { id: number }) =>
    (await prisma.notificationRule.findUnique({ where: { id: input.id }, select: { clientId: true } }))?.clientId ??
    null,
);

const RuleInput = z
  .object({
    name: z.string().trim().min(2).max(120),
    events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1, "Elija al menos un evento"),
    channel: z.enum(CHANNELS),
    target: z.string().trim().min(1).max(500),
    minSeverity: z.enum(SEVERITIES).default("warning"),
    active: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    if (r.channel === "email" && !z.string().email().safeParse(r.target).success)
      ctx.addIssue({ code: "custom", path: ["target"], message: "Correo inválido" });
    if (r.channel === "webhook" && !/^https?:\/\//.test(r.target))
      ctx.addIssue({ code: "custom", path: ["target"], message: "URL inválida" });
  });

/** The signing secret is never read back; it is returned once, when it is created. */
const omitSecret = { webhookSecretEnc: true } as const;

/** A webhook target must be public (or allowlisted) now; delivery checks again per connection. */
async function webhookSecretFor(
  channel: string,
  target: string,
  existing: string | null,
): Promise<{ enc: string | null; shown: string | null }> {
  if (channel !== "webhook") return { enc: existing, shown: null };
  try {
    await assertWebhookTarget(target, parseAllowlist(env().WEBHOOK_ALLOWLIST));
  } catch (e) {
    if (AppError.is(e, "BAD_INPUT"))
      throw new AppError("BAD_INPUT", e.message, { details: { fieldErrors: { target: [e.message] } } });
    throw e;
  }
  if (existing) return { enc: existing, shown: null };
  const secret = newWebhookSecret();
  return { enc: encryptSecret(secret), shown: secret };
}

export const notificationOps = {
  list: defineOperation({
    summary: "Notificaciones de un cliente",
    kind: "query",
    scope: "notifications:read",
    tenant: { kind: "client" },
    input: z.object({
      clientId: IdSchema,
      unreadOnly: z.coerce.boolean().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    rest: { method: "GET", path: "/notifications" },
    handler: async ({ prisma }, { clientId, unreadOnly, limit }) =>
      prisma.notification.findMany({
        where: { clientId, channel: "in_app", ...(unreadOnly ? { readAt: null } : {}) },
        orderBy: { createdAt: "desc" },
        take: limit,
      }),
  }),
  create: defineOperation({
    summary: "Publicar una notificación para un cliente",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    input: z.object({
      clientId: IdSchema,
      title: z.string().trim().min(2).max(200),
      body: z.string().trim().max(4000).default(""),
      severity: z.enum(SEVERITIES).default("info"),
    }),
    rest: { method: "POST", path: "/notifications", status: 201 },
    handler: async ({ prisma, audit }, input) => {
      const n = await prisma.notification.create({
        data: { ...input, channel: "in_app", event: "manual", status: "sent", sentAt: new Date() },
      });
      await audit({ entity: "notification", entityId: n.id, after: n });
      return n;
    },
  }),
  markRead: defineOperation({
    summary: "Marcar una notificación como leída",
    kind: "mutation",
    scope: "notifications:read",
    tenant: notifTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "PUT", path: "/notifications/{id}" },
    handler: async ({ prisma }, { id }) =>
      prisma.notification.update({ where: { id }, data: { readAt: new Date(), status: "read" } }),
  }),
  delete: defineOperation({
    summary: "Eliminar una notificación",
    kind: "mutation",
    scope: "notifications:write",
    tenant: notifTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "DELETE", path: "/notifications/{id}" },
    handler: async ({ prisma, audit }, { id }) => {
      const before = await prisma.notification.delete({ where: { id } });
      await audit({ entity: "notification", entityId: id, before });
      return { ok: true };
    },
  }),
};

export const notificationRuleOps = {
  list: defineOperation({
    summary: "Reglas de notificación de un cliente",
    kind: "query",
    scope: "notifications:read",
    tenant: { kind: "client" },
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/notification-rules" },
    handler: async ({ prisma }, { clientId }) =>
      prisma.notificationRule.findMany({ where: { clientId }, orderBy: { name: "asc" }, omit: omitSecret }),
  }),
  create: defineOperation({
    summary: "Crear una regla de notificación",
    kind: "mutation",
    scope: "notifications:write",
    tenant: { kind: "client" },
    input: z.intersection(RuleInput, z.object({ clientId: IdSchema })),
    rest: { method: "POST", path: "/notification-rules", status: 201 },
    handler: async ({ prisma, audit }, input) => {
      const secret = await webhookSecretFor(input.channel, input.target, null);
      const r = await prisma.notificationRule.create({
        data: { ...input, webhookSecretEnc: secret.enc },
        omit: omitSecret,
      });
      await audit({ entity: "notification_rule", entityId: r.id, after: r });
      // Shown once: receivers verify the X-SmartHydro-Signature header with it (docs/SECURITY.md).
      return { ...r, webhookSecret: secret.shown };
    },
  }),
  update: defineOperation({
    summary: "Modificar una regla de notificación",
    kind: "mutation",
    scope: "notifications:write",
    tenant: ruleTenant,
    input: z.intersection(RuleInput, z.object({ id: IdSchema })),
    rest: { method: "PUT", path: "/notification-rules/{id}" },
    handler: async ({ prisma, audit }, { id, ...data }) => {
      const current = await prisma.notificationRule.findUnique({ where: { id } });
      if (!current) throw new AppError("NOT_FOUND", "Regla no encontrada");
      const { webhookSecretEnc, ...before } = current;
      const secret = await webhookSecretFor(data.channel, data.target, webhookSecretEnc);
      const after = await prisma.notificationRule.update({
        where: { id },
        data: { ...data, webhookSecretEnc: secret.enc },
        omit: omitSecret,
      });
      await audit({ entity: "notification_rule", entityId: id, before, after });
      return { ...after, webhookSecret: secret.shown };
    },
  }),
  delete: defineOperation({
    summary: "Eliminar una regla de notificación",
    kind: "mutation",
    scope: "notifications:write",
    tenant: ruleTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "DELETE", path: "/notification-rules/{id}" },
    handler: async ({ prisma, audit }, { id }) => {
      const before = await prisma.notificationRule.findUnique({ where: { id }, omit: omitSecret });
      if (!before) throw new AppError("NOT_FOUND", "Regla no encontrada");
      await prisma.notificationRule.delete({ where: { id } });
      await audit({ entity: "notification_rule", entityId: id, before });
      return { ok: true };
    },
  }),
};
