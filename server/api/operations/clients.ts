import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { EmailSchema, IdSchema, RutSchema } from "@/domain/schemas/common";

const MODULES = ["telemetry", "dga", "reports", "alerts", "api"] as const;
const clientSelect = {
  id: true,
  name: true,
  rut: true,
  contactName: true,
  contactEmail: true,
  contactPhone: true,
  active: true,
  createdAt: true,
  modules: { select: { module: true, enabled: true } },
} as const;

const ClientInput = z.object({
  name: z.string().trim().min(2).max(120),
  rut: RutSchema,
  contactName: z.string().trim().max(120).nullish(),
  contactEmail: EmailSchema.nullish(),
  contactPhone: z.string().trim().max(40).nullish(),
  modules: z.array(z.enum(MODULES)).default(["telemetry"]),
});

export const clientOps = {
  list: defineOperation({
    summary: "Clientes visibles para el usuario",
    kind: "query",
    scope: "clients:read",
    tenant: { kind: "platform" },
    input: z.object({ q: z.string().optional() }).default({}),
    rest: { method: "GET", path: "/clients" },
    handler: async ({ prisma, principal }, input) => {
      const ids = visibleClientIds(principal);
      return prisma.client.findMany({
        where: {
          ...(ids ? { id: { in: ids } } : {}),
          ...(input.q ? { name: { contains: input.q, mode: "insensitive" as const } } : {}),
        },
        select: { ...clientSelect, _count: { select: { points: true } } },
        orderBy: { name: "asc" },
      });
    },
  }),
  get: defineOperation({
    summary: "Detalle de un cliente",
    kind: "query",
    scope: "clients:read",
    tenant: recordTenant(
      async (prisma, input: { id: number }) =>
        (await prisma.client.findUnique({ where: { id: input.id }, select: { id: true } }))?.id ?? null,
    ),
    input: z.object({ id: IdSchema }),
    rest: { method: "GET", path: "/clients/{id}" },
    handler: async ({ prisma }, { id }) => {
      const c = await prisma.client.findUnique({ where: { id }, select: clientSelect });
      if (!c) throw new AppError("NOT_FOUND", "Cliente no encontrado");
      return c;
    },
  }),
  create: defineOperation({
    summary: "Crear un cliente",
    kind: "mutation",
    scope: "clients:write",
    tenant: { kind: "platform" },
    input: ClientInput,
    rest: { method: "POST", path: "/clients", status: 201 },
    handler: async ({ prisma, audit }, { modules, ...data }) => {
      if (await prisma.client.findUnique({ where: { rut: data.rut } }))
        throw new AppError("CONFLICT", "Ya existe un cliente con ese RUT");
      const c = await prisma.client.create({
        data: { ...data, modules: { create: modules.map((m) => ({ module: m })) } },
        select: clientSelect,
      });
      await audit({ entity: "client", entityId: c.id, clientId: c.id, after: c });
      return c;
    },
  }),
  update: defineOperation({
    summary: "Modificar un cliente",
    kind: "mutation",
    scope: "clients:write",
    tenant: recordTenant(
      async (prisma, input: { id: number }) =>
        (await prisma.client.findUnique({ where: { id: input.id }, select: { id: true } }))?.id ?? null,
    ),
    input: ClientInput.partial().omit({ modules: true }).extend({ id: IdSchema, active: z.boolean().optional() }),
    rest: { method: "PUT", path: "/clients/{id}" },
    handler: async ({ prisma, audit }, { id, ...data }) => {
      const before = await prisma.client.findUnique({ where: { id }, select: clientSelect });
      const after = await prisma.client.update({ where: { id }, data, select: clientSelect });
      await audit({ entity: "client", entityId: id, before, after });
      return after;
    },
  }),
};

export const moduleOps = {
  list: defineOperation({
    summary: "Módulos contratados por un cliente",
    kind: "query",
    scope: "modules:read",
    tenant: { kind: "client" },
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/modules" },
    handler: async ({ prisma }, { clientId }) => {
      const rows = await prisma.clientModule.findMany({ where: { clientId } });
      return MODULES.map((m) => {
        const r = rows.find((x) => x.module === m);
        return { module: m, enabled: r?.enabled ?? false, since: r?.since ?? null };
      });
    },
  }),
  set: defineOperation({
    summary: "Activar o desactivar módulos de un cliente",
    kind: "mutation",
    scope: "modules:write",
    tenant: { kind: "client" },
    input: z.object({ clientId: IdSchema, modules: z.partialRecord(z.enum(MODULES), z.boolean()) }),
    rest: { method: "PUT", path: "/modules" },
    handler: async ({ prisma, audit }, { clientId, modules }) => {
      const before = await prisma.clientModule.findMany({ where: { clientId } });
      for (const [module, enabled] of Object.entries(modules)) {
        await prisma.clientModule.upsert({
          where: { clientId_module: { clientId, module: module as (typeof MODULES)[number] } },
          create: { clientId, module: module as (typeof MODULES)[number], enabled },
          update: { enabled },
        });
      }
      const after = await prisma.clientModule.findMany({ where: { clientId } });
      await audit({ entity: "client_module", entityId: clientId, before, after });
      return after;
    },
  }),
};
