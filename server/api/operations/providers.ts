import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { IdSchema } from "@/domain/schemas/common";
import { RAW_UNITS } from "@/domain/measurements/types";
import { REJECT_CODES } from "@/domain/providers/types";
import { ErrorCodeRulesSchema } from "@/domain/measurements/error-codes";
import { encryptSecret, newPushSecret } from "@/server/crypto";
import { getPgPool } from "@/server/pg";
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
const accountTenant = recordTenant(async (prisma: Db, input: { id: number }) => {
  const a = await prisma.providerAccount.findUnique({ where: { id: input.id }, select: { clientId: true } });
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

// Flags without defaults here: zod applies a default inside .partial(), which would reset them on every partial update.
const UpdateAccountInput = AccountInput.partial().omit({ clientId: true }).extend({
  id: IdSchema,
  rotatePushSecret: z.boolean().optional(),
  active: z.boolean().optional(),
  pushOnly: z.boolean().optional(),
});

const VariableInput = z.object({
  variable: z.enum(["flow", "totalizer", "level"]),
  key: z.string().min(1).max(200),
  unit: z.enum(RAW_UNITS),
  scale: z.number().positive().default(1),
  /** Logger status codes on this variable (numbers or {min?, max?} ranges); omitted = the provider kind's default. */
  errorCodes: ErrorCodeRulesSchema.optional(),
});

const RejectedItem = z.object({
  id: z.string(),
  receivedAt: z.date(),
  transport: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  deviceRef: z.string().nullable(),
  bodyPreview: z.string(),
});

export const providerOps = {
  listAccounts: defineOperation({
    summary: "Cuentas de proveedores",
    kind: "query",
    scope: "providers:read",
    tenant: { kind: "platform" },
    input: z.object({ clientId: IdSchema.optional() }).default({}),
    rest: { method: "GET", path: "/provider-accounts" },
    handler: async ({ prisma, principal }, { clientId }) => {
      const ids = visibleClientIds(principal);
      const where = clientId ? { clientId } : ids ? { clientId: { in: ids } } : {};
      if (clientId && ids && !ids.includes(clientId)) return [];
      const rows = await prisma.providerAccount.findMany({
        where,
        orderBy: { name: "asc" },
        select: { ...accountSelect, credentialsEnc: true, pushSecretHash: true },
      });
      return rows.map((r) => shape(r, !!r.credentialsEnc, !!r.pushSecretHash));
    },
  }),
  createAccount: defineOperation({
    summary: "Crear una cuenta de proveedor (devuelve el secreto de push una sola vez)",
    kind: "mutation",
    scope: "providers:write",
    tenant: { kind: "platform" },
    input: AccountInput,
    rest: { method: "POST", path: "/provider-accounts", status: 201 },
    handler: async ({ prisma, audit }, { credentials, settings, ...data }) => {
      const push = newPushSecret();
      const a = await prisma.providerAccount.create({
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
  }),
  updateAccount: defineOperation({
    summary: "Modificar una cuenta de proveedor (credenciales solo de escritura)",
    kind: "mutation",
    scope: "providers:write",
    tenant: accountTenant,
    input: UpdateAccountInput,
    rest: { method: "PUT", path: "/provider-accounts/{id}" },
    handler: async ({ prisma, audit }, { id, credentials, rotatePushSecret, settings, ...data }) => {
      const before = await prisma.providerAccount.findUnique({
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
      const a = await prisma.providerAccount.update({
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
  }),
  listBindings: defineOperation({
    summary: "Vinculaciones de un punto con dispositivos",
    kind: "query",
    scope: "points:read",
    tenant: pointTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "GET", path: "/points/{id}/bindings" },
    handler: async ({ prisma }, { id }) =>
      prisma.pointBinding.findMany({
        where: { pointId: id },
        include: { variables: true, account: { select: { id: true, kind: true, name: true } } },
      }),
  }),
  createBinding: defineOperation({
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
    handler: async ({ prisma, audit, clientId }, { id, accountId, variables, ...data }) => {
      const acc = await prisma.providerAccount.findUnique({ where: { id: accountId }, select: { clientId: true } });
      if (!acc || (acc.clientId != null && acc.clientId !== clientId))
        throw new AppError("BAD_INPUT", "La cuenta de proveedor no corresponde a este cliente");
      const b = await prisma.pointBinding.create({
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
  }),
  deleteBinding: defineOperation({
    summary: "Desactivar una vinculación",
    kind: "mutation",
    scope: "providers:write",
    tenant: recordTenant(
      async (prisma: Db, input: { bindingId: number }) =>
        (
          await prisma.pointBinding.findUnique({
            where: { id: input.bindingId },
            select: { point: { select: { clientId: true } } },
          })
        )?.point.clientId ?? null,
    ),
    input: z.object({ bindingId: IdSchema }),
    rest: { method: "DELETE", path: "/bindings/{bindingId}" },
    handler: async ({ prisma, audit }, { bindingId }) => {
      const after = await prisma.pointBinding.update({ where: { id: bindingId }, data: { active: false } });
      await audit({ entity: "point_binding", entityId: bindingId, after });
      return after;
    },
  }),
  /** Payloads of an account kept raw without readings: what operators check when a device "sends but nothing shows". */
  rejectedPayloads: defineOperation({
    summary: "Payloads rechazados de una cuenta de proveedor (sin lecturas), con su motivo",
    kind: "query",
    scope: "providers:read",
    tenant: accountTenant,
    input: z.object({
      id: IdSchema,
      reason: z.enum(REJECT_CODES).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: z.iso.datetime({ offset: true }).optional(),
    }),
    output: z.object({ items: z.array(RejectedItem), countsByReason: z.record(z.string(), z.number()) }),
    rest: { method: "GET", path: "/provider-accounts/{id}/rejected-payloads" },
    handler: async (_ctx, input) => {
      const pool = getPgPool();
      const before = input.before ? new Date(input.before) : null;
      const rows = await pool.query<{
        id: string;
        received_at: Date;
        transport: string;
        reason_code: string | null;
        error: string | null;
        device_ref: string | null;
        preview: string;
      }>(
        `SELECT id::text, received_at, transport, reason_code, error, headers->>'x-sh-device-ref' AS device_ref, left(body, 400) AS preview
         FROM raw_payload WHERE account_id = $1 AND status = 'rejected' AND ($2::text IS NULL OR reason_code = $2) AND ($3::timestamptz IS NULL OR received_at < $3)
         ORDER BY received_at DESC, id DESC LIMIT $4`,
        [input.id, input.reason ?? null, before, input.limit],
      );
      const counts = await pool.query<{ reason: string; n: string }>(
        `SELECT coalesce(reason_code, 'unknown') AS reason, count(*) AS n FROM raw_payload
         WHERE account_id = $1 AND status = 'rejected' AND received_at > now() - interval '7 days' GROUP BY 1`,
        [input.id],
      );
      return {
        items: rows.rows.map((r) => ({
          id: r.id,
          receivedAt: r.received_at,
          transport: r.transport,
          reason: r.reason_code,
          message: r.error,
          deviceRef: r.device_ref,
          bodyPreview: r.preview,
        })),
        countsByReason: Object.fromEntries(counts.rows.map((r) => [r.reason, Number(r.n)])),
      };
    },
  }),
};
