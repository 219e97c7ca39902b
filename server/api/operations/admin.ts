import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { SCOPES, visibleClientIds } from "@/domain/auth/permissions";
import { IdSchema, RutSchema } from "@/domain/schemas/common";
import { encryptSecret, newApiKey } from "@/server/crypto";
import type { Db } from "@/server/db";

const informanteSelect = { id: true, clientId: true, name: true, rut: true, createdAt: true, updatedAt: true } as const;

const apiKeySelect = {
  id: true,
  clientId: true,
  name: true,
  prefix: true,
  scopes: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

export const informanteOps = {
  list: defineOperation({
    summary: "Informantes DGA de un cliente o, sin clientId, de todos los clientes permitidos (sin contraseñas)",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "clients" },
    input: z.object({ clientId: IdSchema.optional() }).default({}),
    rest: { method: "GET", path: "/informantes" },
    handler: async ({ prisma, clientIds }) =>
      prisma.dgaInformante.findMany({
        where: { clientId: { in: [...clientIds] } },
        select: { ...informanteSelect, client: { select: { name: true } } },
        orderBy: [{ client: { name: "asc" } }, { name: "asc" }],
      }),
  }),
  create: defineOperation({
    summary: "Registrar un informante DGA (contraseña solo de escritura)",
    kind: "mutation",
    scope: "informantes:write",
    tenant: { kind: "client" },
    input: z.object({
      clientId: IdSchema,
      name: z.string().trim().min(2).max(120),
      rut: RutSchema,
      password: z.string().min(1).max(200),
    }),
    rest: { method: "POST", path: "/informantes", status: 201 },
    handler: async ({ prisma, audit }, { password, ...data }) => {
      if (
        await prisma.dgaInformante.findUnique({ where: { clientId_rut: { clientId: data.clientId, rut: data.rut } } })
      )
        throw new AppError("CONFLICT", "Ese informante ya existe");
      const informante = await prisma.dgaInformante.create({
        data: { ...data, passwordEnc: encryptSecret(password) },
        select: informanteSelect,
      });
      await audit({ entity: "dga_informante", entityId: informante.id, after: informante });
      return informante;
    },
  }),
  update: defineOperation({
    summary: "Modificar un informante (la contraseña se reemplaza, nunca se muestra)",
    kind: "mutation",
    scope: "informantes:write",
    tenant: recordTenant(
      async (prisma: Db, input: { id: number }) =>
        (await prisma.dgaInformante.findUnique({ where: { id: input.id }, select: { clientId: true } }))?.clientId ??
        null,
    ),
    input: z.object({
      id: IdSchema,
      name: z.string().trim().min(2).max(120).optional(),
      password: z.string().min(1).max(200).optional(),
    }),
    rest: { method: "PUT", path: "/informantes/{id}" },
    handler: async ({ prisma, audit }, { id, password, ...data }) => {
      const before = await prisma.dgaInformante.findUnique({ where: { id }, select: informanteSelect });
      const after = await prisma.dgaInformante.update({
        where: { id },
        data: { ...data, ...(password ? { passwordEnc: encryptSecret(password) } : {}) },
        select: informanteSelect,
      });
      await audit({ entity: "dga_informante", entityId: id, before, after: { ...after, passwordChanged: !!password } });
      return after;
    },
  }),
};

export const apiKeyOps = {
  list: defineOperation({
    summary: "Claves de API",
    kind: "query",
    scope: "apikeys:write",
    tenant: { kind: "platform" },
    input: z.object({ clientId: IdSchema.optional() }).default({}),
    rest: { method: "GET", path: "/api-keys" },
    handler: async ({ prisma }, { clientId }) =>
      prisma.apiKey.findMany({
        where: clientId ? { clientId } : {},
        select: apiKeySelect,
        orderBy: { createdAt: "desc" },
      }),
  }),
  create: defineOperation({
    summary: "Crear una clave de API (se muestra una sola vez)",
    kind: "mutation",
    scope: "apikeys:write",
    tenant: { kind: "platform" },
    input: z.object({
      clientId: IdSchema.nullish(),
      name: z.string().trim().min(2).max(120),
      scopes: z.array(z.enum(SCOPES)).min(1),
      expiresAt: z.coerce.date().nullish(),
    }),
    rest: { method: "POST", path: "/api-keys", status: 201 },
    handler: async ({ prisma, audit, principal }, input) => {
      const k = newApiKey();
      const row = await prisma.apiKey.create({
        data: {
          ...input,
          prefix: k.prefix,
          hash: k.hash,
          createdById: principal.kind === "user" ? principal.id : null,
        },
        select: apiKeySelect,
      });
      await audit({ entity: "api_key", entityId: row.id, clientId: row.clientId, after: row });
      return { ...row, key: k.key };
    },
  }),
  revoke: defineOperation({
    summary: "Revocar una clave de API",
    kind: "mutation",
    scope: "apikeys:write",
    tenant: { kind: "platform" },
    input: z.object({ id: IdSchema }),
    rest: { method: "DELETE", path: "/api-keys/{id}" },
    handler: async ({ prisma, audit }, { id }) => {
      const before = await prisma.apiKey.findUnique({ where: { id }, select: apiKeySelect });
      if (!before) throw new AppError("NOT_FOUND", "Clave no encontrada");
      const after = await prisma.apiKey.update({
        where: { id },
        data: { revokedAt: before.revokedAt ?? new Date() },
        select: apiKeySelect,
      });
      await audit({ entity: "api_key", entityId: id, clientId: before.clientId, before, after });
      return after;
    },
  }),
};

export const auditOps = {
  list: defineOperation({
    summary: "Registro de auditoría",
    kind: "query",
    scope: "audit:read",
    tenant: { kind: "platform" },
    input: z
      .object({
        clientId: IdSchema.optional(),
        entity: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.coerce.bigint().optional(),
      })
      .default({ limit: 100 }),
    rest: { method: "GET", path: "/audit" },
    handler: async ({ prisma, principal }, { clientId, entity, limit, cursor }) => {
      const ids = visibleClientIds(principal);
      if (ids) throw new AppError("FORBIDDEN", "Solo el personal de la plataforma ve la auditoría");
      const rows = await prisma.auditLog.findMany({
        where: {
          ...(clientId ? { clientId } : {}),
          ...(entity ? { entity } : {}),
          ...(cursor ? { id: { lt: cursor } } : {}),
        },
        orderBy: { id: "desc" },
        take: limit,
      });
      return rows.map((r) => ({ ...r, id: r.id.toString() }));
    },
  }),
};
