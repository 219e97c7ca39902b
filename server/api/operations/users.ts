import { z } from "zod";
import bcrypt from "bcryptjs";
import { defineOperation } from "../operation";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { EmailSchema, IdSchema } from "@/domain/schemas/common";

const userSelect = {
  id: true, email: true, name: true, staffRole: true, active: true, lastLoginAt: true, createdAt: true,
  memberships: { select: { clientId: true, role: true, client: { select: { name: true } } } },
} as const;

export const PasswordSchema = z.string().min(10, "La contraseña debe tener al menos 10 caracteres").max(200);
const MembershipInput = z.array(z.object({ clientId: IdSchema, role: z.enum(["manager", "viewer"]) }));

export const me = defineOperation({
  name: "me.get", summary: "El usuario o la clave que hace la llamada", kind: "query", scope: "clients:read", tenant: { kind: "platform" },
  input: z.object({}).default({}), rest: { method: "GET", path: "/me" },
  handler: async ({ principal }) => ({
    kind: principal.kind, id: principal.id, label: principal.label, staffRole: principal.staffRole, memberships: principal.memberships,
  }),
});

export const listUsers = defineOperation({
  name: "users.list", summary: "Usuarios (staff: todos; clientes: los de sus clientes)", kind: "query", scope: "users:read", tenant: { kind: "platform" },
  input: z.object({ clientId: IdSchema.optional() }).default({}), rest: { method: "GET", path: "/users" },
  handler: async ({ db, principal }, { clientId }) => {
    const ids = visibleClientIds(principal);
    const scope = clientId ? [clientId].filter((c) => !ids || ids.includes(c)) : ids;
    return db.user.findMany({
      where: scope ? { memberships: { some: { clientId: { in: scope } } } } : {},
      select: userSelect, orderBy: { email: "asc" },
    });
  },
});

export const createUser = defineOperation({
  name: "users.create", summary: "Crear un usuario", kind: "mutation", scope: "users:write", tenant: { kind: "platform" },
  input: z.object({ email: EmailSchema, name: z.string().trim().min(2).max(120), password: PasswordSchema, staffRole: z.enum(["admin", "operator"]).nullish(), memberships: MembershipInput.default([]) }),
  rest: { method: "POST", path: "/users", status: 201 },
  handler: async ({ db, audit }, { password, memberships, ...data }) => {
    if (await db.user.findUnique({ where: { email: data.email } })) throw new AppError("CONFLICT", "Ya existe un usuario con ese correo");
    const u = await db.user.create({
      data: { ...data, passwordHash: await bcrypt.hash(password, 10), memberships: { create: memberships } },
      select: userSelect,
    });
    await audit({ entity: "user", entityId: u.id, after: u });
    return u;
  },
});

export const updateUser = defineOperation({
  name: "users.update", summary: "Modificar un usuario y sus membresías", kind: "mutation", scope: "users:write", tenant: { kind: "platform" },
  input: z.object({
    id: IdSchema, name: z.string().trim().min(2).max(120).optional(), password: PasswordSchema.optional(), active: z.boolean().optional(),
    staffRole: z.enum(["admin", "operator"]).nullish(), memberships: MembershipInput.optional(),
  }),
  rest: { method: "PUT", path: "/users/{id}" },
  handler: async ({ db, audit }, { id, password, memberships, ...data }) => {
    const before = await db.user.findUnique({ where: { id }, select: userSelect });
    if (!before) throw new AppError("NOT_FOUND", "Usuario no encontrado");
    const after = await db.$transaction(async (tx) => {
      if (memberships) {
        await tx.membership.deleteMany({ where: { userId: id } });
        await tx.membership.createMany({ data: memberships.map((m) => ({ ...m, userId: id })) });
      }
      return tx.user.update({ where: { id }, data: { ...data, ...(password ? { passwordHash: await bcrypt.hash(password, 10) } : {}) }, select: userSelect });
    });
    await audit({ entity: "user", entityId: id, before, after });
    return after;
  },
});
