import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { IdSchema } from "@/domain/schemas/common";
import { RAW_UNITS } from "@/domain/measurements/types";
import { ErrorCodeRulesSchema } from "@/domain/measurements/error-codes";
import { encryptSecret, newPushSecret } from "@/server/crypto";
import type { Db } from "@/server/db";
import { pointTenant } from "./points";

const KINDS = ["tdata", "tts", "thethingsio", "tago", "custom"] as const;
/** Credentials are write-only: this select is the only shape that ever leaves the server. */
const accountSelect = {
  id: true,
  clientId: true,
  kind: true,
  name: true,
  baseUrl: true,
  settings: true,
  active: true,
  pushOnly: true,
  lastSuccessAt: true,
  lastErrorAt: true,
  lastError: true,
  createdAt: true,
  credentialsEnc: false,
  pushSecretHash: false,
} as const;

function shape<T extends object>(a: T, hasCreds: boolean, hasPush: boolean) {
  const {
    credentialsEnc: _c,
    pushSecretHash: _p,
    ...rest
  } = a as T & { credentialsEnc?: unknown; pushSecretHash?: unknown };
  return { ...rest, hasCredentials: hasCreds, hasPushSecret: hasPush };
}

/** Accounts without a client belong to the operator and are staff-only. */
export const accountTenant = recordTenant(async (db: Db, i: { id: number }) => {
  const a = await db.providerAccount.findUnique({ where: { id: i.id }, select: { clientId: true } });
  return a ? (a.clientId ?? 0) : null;
});

const AccountInput = z.object({
  clientId: IdSchema.nullish(),
  kind: z.enum(KINDS),
  name: z.string().trim().min(2).max(120),
  baseUrl: z.string().url(),
  credentials: z.record(z.string(), z.string()).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  active: z.boolean().default(true),
  /** Data arrive only by push (webhook/action/MQTT): never polled, no credentials needed. */
  pushOnly: z.boolean().default(false),
});

export const listAccounts = defineOperation({
  name: "providers.listAccounts",
  summary: "Cuentas de proveedores",
  kind: "query",
  scope: "providers:read",
  tenant: { kind: "platform" },
  input: z.object({ clientId: IdSchema.optional() }).default({}),
  rest: { method: "GET", path: "/provider-accounts" },
  handler: async ({ db, principal }, { clientId }) => {
    const ids = visibleClientIds(principal);
    const where = clientId ? { clientId } : ids ? { clientId: { in: ids } } : {};
    if (clientId && ids && !ids.includes(clientId)) return [];
    const rows = await db.providerAccount.findMany({
      where,
      orderBy: { name: "asc" },
      select: { ...accountSelect, credentialsEnc: true, pushSecretHash: true },
    });
    return rows.map((r) => shape(r, !!r.credentialsEnc, !!r.pushSecretHash));
  },
});

export const createAccount = defineOperation({
  name: "providers.createAccount",
  summary: "Crear una cuenta de proveedor (devuelve el secreto de push una sola vez)",
  kind: "mutation",
  scope: "providers:write",
  tenant: { kind: "platform" },
  input: AccountInput,
  rest: { method: "POST", path: "/provider-accounts", status: 201 },
  handler: async ({ db, audit }, { credentials, settings, ...data }) => {
    const push = newPushSecret();
    const a = await db.providerAccount.create({
      data: {
        ...data,
        settings: settings as object,
        credentialsEnc: credentials ? encryptSecret(JSON.stringify(credentials)) : null,
        pushSecretHash: push.hash,
      },
      select: accountSelect,
    });
    await audit({ entity: "provider_account", entityId: a.id, clientId: a.clientId, after: a });
    return { ...shape(a, !!credentials, true), pushSecret: push.secret };
  },
});

// Flags without defaults here: zod applies a default inside .partial(), which would reset them on every partial update.
const UpdateAccountInput = AccountInput.partial().omit({ clientId: true }).extend({
  id: IdSchema,
  rotatePushSecret: z.boolean().optional(),
  active: z.boolean().optional(),
  pushOnly: z.boolean().optional(),
});

export const updateAccount = defineOperation({
  name: "providers.updateAccount",
  summary: "Modificar una cuenta de proveedor (credenciales solo de escritura)",
  kind: "mutation",
  scope: "providers:write",
  tenant: accountTenant,
  input: UpdateAccountInput,
  rest: { method: "PUT", path: "/provider-accounts/{id}" },
  handler: async ({ db, audit }, { id, credentials, rotatePushSecret, settings, ...data }) => {
    const before = await db.providerAccount.findUnique({
      where: { id },
      select: { ...accountSelect, credentialsEnc: true },
    });
    if (!before) throw new AppError("NOT_FOUND", "Cuenta no encontrada");
    // Stored credentials were given for the old host; they are never sent to a new one unless re-entered.
    if (data.baseUrl !== undefined && data.baseUrl !== before.baseUrl && before.credentialsEnc && !credentials) {
      const message = "Al cambiar la URL base vuelva a ingresar las credenciales";
      throw new AppError("BAD_INPUT", message, { details: { fieldErrors: { credentials: [message] } } });
    }
    const push = rotatePushSecret ? newPushSecret() : null;
    const a = await db.providerAccount.update({
      where: { id },
      data: {
        ...data,
        ...(settings ? { settings: settings as object } : {}),
        ...(credentials ? { credentialsEnc: encryptSecret(JSON.stringify(credentials)) } : {}),
        ...(push ? { pushSecretHash: push.hash } : {}),
      },
      select: { ...accountSelect, credentialsEnc: true, pushSecretHash: true },
    });
    const out = shape(a, !!a.credentialsEnc, !!a.pushSecretHash);
    const { credentialsEnc: _old, ...beforeShown } = before;
    await audit({
      entity: "provider_account",
      entityId: id,
      before: beforeShown,
      after: { ...out, credentialsChanged: !!credentials },
    });
    return push ? { ...out, pushSecret: push.secret } : out;
  },
});

const VariableInput = z.object({
  variable: z.enum(["flow", "totalizer", "level"]),
  key: z.string().min(1).max(200),
  unit: z.enum(RAW_UNITS),
  scale: z.number().positive().default(1),
  /** Logger status codes on this variable (numbers or {min?, max?} ranges); omitted = the provider kind's default. */
  errorCodes: ErrorCodeRulesSchema.optional(),
});

export const listBindings = defineOperation({
  name: "providers.listBindings",
  summary: "Vinculaciones de un punto con dispositivos",
  kind: "query",
  scope: "points:read",
  tenant: pointTenant,
  input: z.object({ id: IdSchema }),
  rest: { method: "GET", path: "/points/{id}/bindings" },
  handler: async ({ db }, { id }) =>
    db.pointBinding.findMany({
      where: { pointId: id },
      include: { variables: true, account: { select: { id: true, kind: true, name: true } } },
    }),
});

export const createBinding = defineOperation({
  name: "providers.createBinding",
  summary: "Vincular un punto con un dispositivo de proveedor",
  kind: "mutation",
  scope: "providers:write",
  tenant: pointTenant,
  input: z.object({
    id: IdSchema,
    accountId: IdSchema,
    deviceRef: z.string().min(1).max(300),
    pollIntervalSec: z.number().int().min(30).max(86400).default(300),
    variables: z.array(VariableInput).min(1),
    pushOnly: z.boolean().default(false),
    /** Readings that confirm an undeclared meter reset; omitted = from the point's reporting interval. */
    resetConfirmSamples: z.number().int().min(1).max(10).nullish(),
  }),
  rest: { method: "POST", path: "/points/{id}/bindings", status: 201 },
  handler: async ({ db, audit, clientId }, { id, accountId, variables, ...data }) => {
    const acc = await db.providerAccount.findUnique({ where: { id: accountId }, select: { clientId: true } });
    if (!acc || (acc.clientId != null && acc.clientId !== clientId))
      throw new AppError("BAD_INPUT", "La cuenta de proveedor no corresponde a este cliente");
    const b = await db.pointBinding.create({
      data: {
        ...data,
        pointId: id,
        accountId,
        variables: {
          create: variables.map(({ errorCodes, ...v }) => ({ ...v, ...(errorCodes ? { errorCodes } : {}) })),
        },
      },
      include: { variables: true },
    });
    await audit({ entity: "point_binding", entityId: b.id, after: b });
    return b;
  },
});

export const deleteBinding = defineOperation({
  name: "providers.deleteBinding",
  summary: "Desactivar una vinculación",
  kind: "mutation",
  scope: "providers:write",
  tenant: recordTenant(
    async (db: Db, i: { bindingId: number }) =>
      (
        await db.pointBinding.findUnique({
          where: { id: i.bindingId },
          select: { point: { select: { clientId: true } } },
        })
      )?.point.clientId ?? null,
  ),
  input: z.object({ bindingId: IdSchema }),
  rest: { method: "DELETE", path: "/bindings/{bindingId}" },
  handler: async ({ db, audit }, { bindingId }) => {
    const after = await db.pointBinding.update({ where: { id: bindingId }, data: { active: false } });
    await audit({ entity: "point_binding", entityId: bindingId, after });
    return after;
  },
});
