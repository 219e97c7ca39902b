import { z } from "zod";
import bcrypt from "bcryptjs";
import { defineOperation, type OperationCtx } from "../operation";
import { revokeSessions } from "@/server/auth/revoke";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { EmailSchema, IdSchema } from "@/domain/schemas/common";

const membershipSelect = { clientId: true, role: true, client: { select: { name: true } } } as const;
const userSelect = {
  id: true,
  email: true,
  name: true,
  staffRole: true,
  active: true,
  lastLoginAt: true,
  createdAt: true,
  memberships: { select: membershipSelect },
} as const;

/** One audit row per client whose memberships the change touches (so each tenant's log shows it), or one without a tenant. */
async function auditUser(
  audit: OperationCtx["audit"],
  id: number,
  before: { memberships: { clientId: number }[] } | null,
  after: { memberships: { clientId: number }[] },
) {
  const clients = [...new Set([...(before?.memberships ?? []), ...after.memberships].map((m) => m.clientId))];
  if (!clients.length) return audit({ entity: "user", entityId: id, before, after });
  for (const clientId of clients) await audit({ entity: "user", entityId: id, clientId, before, after });
}

const PasswordSchema = z.string().min(10, "La contraseña debe tener al menos 10 caracteres").max(200);
const MembershipInput = z.array(z.object({ clientId: IdSchema, role: z.enum(["manager", "viewer"]) }));

export const meOps = {
  get: defineOperation({
    summary: "El usuario o la clave que hace la llamada",
    kind: "query",
    scope: "clients:read",
    tenant: { kind: "platform" },
    input: z.object({}).default({}),
    rest: { method: "GET", path: "/me" },
    handler: async ({ principal }) => ({
      kind: principal.kind,
      id: principal.id,
      label: principal.label,
      staffRole: principal.staffRole,
      memberships: principal.memberships,
    }),
  }),
};

export const userOps = {
  list: defineOperation({
    summary: "Usuarios (staff: todos; clientes: los de sus clientes)",
    kind: "query",
    scope: "users:read",
    tenant: { kind: "platform" },
    input: z.object({ clientId: IdSchema.optional() }).default({}),
    rest: { method: "GET", path: "/users" },
    handler: async ({ prisma, principal }, { clientId }) => {
      const ids = visibleClientIds(principal);
      const scope = clientId ? [clientId].filter((c) => !ids || ids.includes(c)) : ids;
      // A user may belong to other tenants too: only memberships the caller can see are listed.
      return prisma.user.findMany({
        where: scope ? { memberships: { some: { clientId: { in: scope } } } } : {},
        select: {
          ...userSelect,
          memberships: { select: membershipSelect, ...(ids ? { where: { clientId: { in: ids } } } : {}) },
        },
        orderBy: { email: "asc" },
      });
    },
  }),
  create: defineOperation({
    summary: "Crear un usuario",
    kind: "mutation",
    scope: "users:write",
    tenant: { kind: "platform" },
    input: z.object({
      email: EmailSchema,
      name: z.string().trim().min(2).max(120),
      password: PasswordSchema,
      staffRole: z.enum(["admin", "operator"]).nullish(),
      memberships: MembershipInput.default([]),
    }),
    rest: { method: "POST", path: "/users", status: 201 },
    handler: async ({ prisma, audit }, { password, memberships, ...data }) => {
      if (await prisma.user.findUnique({ where: { email: data.email } }))
        throw new AppError("CONFLICT", "Ya existe un usuario con ese correo");
      const u = await prisma.user.create({
        data: { ...data, passwordHash: await bcrypt.hash(password, 10), memberships: { create: memberships } },
        select: userSelect,
      });
      await auditUser(audit, u.id, null, u);
      return u;
    },
  }),
  update: defineOperation({
    summary: "Modificar un usuario y sus membresías",
    kind: "mutation",
    scope: "users:write",
    tenant: { kind: "platform" },
    input: z.object({
      id: IdSchema,
      name: z.string().trim().min(2).max(120).optional(),
      password: PasswordSchema.optional(),
      active: z.boolean().optional(),
      staffRole: z.enum(["admin", "operator"]).nullish(),
      memberships: MembershipInput.optional(),
    }),
    rest: { method: "PUT", path: "/users/{id}" },
    handler: async ({ prisma, audit }, { id, password, memberships, ...data }) => {
      const before = await prisma.user.findUnique({ where: { id }, select: userSelect });
      if (!before) throw new AppError("NOT_FOUND", "Usuario no encontrado");
      const after = await prisma.$transaction(async (tx) => {
        if (memberships) {
          await tx.membership.deleteMany({ where: { userId: id } });
          await tx.membership.createMany({ data: memberships.map((m) => ({ ...m, userId: id })) });
        }
        return tx.user.update({
          where: { id },
          data: { ...data, ...(password ? { passwordHash: await bcrypt.hash(password, 10) } : {}) },
          select: userSelect,
        });
      });
      // A new password ends the user's sessions and tokens everywhere.
      if (password) await revokeSessions(prisma, id);
      await auditUser(audit, id, before, after);
      return after;
    },
  }),
};
