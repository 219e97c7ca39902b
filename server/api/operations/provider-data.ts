import { z } from "zod";
import { defineOperation } from "../operation";
import { AppError } from "@/domain/errors";
import { IdSchema } from "@/domain/schemas/common";
import { MeterChangeInputSchema } from "@/domain/measurements/meter-change";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { REJECT_CODES } from "@/domain/providers/types";
import { getPgPool } from "@/server/pg";
import { enqueueProcessRawRound } from "@/server/processing/jobs";
import { accountTenant } from "./providers";
import { pointTenant } from "./points";

const RejectedItem = z.object({
  id: z.string(),
  receivedAt: z.date(),
  transport: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  deviceRef: z.string().nullable(),
  bodyPreview: z.string(),
});

/** Payloads of an account kept raw without readings: what operators check when a device "sends but nothing shows". */
export const rejectedPayloads = defineOperation({
  name: "providers.rejectedPayloads",
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
  handler: async (_ctx, i) => {
    const pool = getPgPool();
    const before = i.before ? new Date(i.before) : null;
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
      [i.id, i.reason ?? null, before, i.limit],
    );
    const counts = await pool.query<{ reason: string; n: string }>(
      `SELECT coalesce(reason_code, 'unknown') AS reason, count(*) AS n FROM raw_payload
       WHERE account_id = $1 AND status = 'rejected' AND received_at > now() - interval '7 days' GROUP BY 1`,
      [i.id],
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
});

/** The processor caches bindings (and meter changes) this long; the replay waits it out so it sees the new change. */
const BINDING_CACHE_MS = 31_000;

/**
 * Staff declare a replaced totalizer: from `at` the new meter counts from newInitialM3. The readings
 * around `at` are replayed so flags and consumption are right without waiting for a confirmation window.
 */
export const recordMeterChange = defineOperation({
  name: "points.recordMeterChange",
  summary: "Registrar un cambio de medidor (instante, lectura final opcional, lectura inicial)",
  kind: "mutation",
  scope: "points:write",
  tenant: pointTenant,
  input: MeterChangeInputSchema.extend({ id: IdSchema }),
  rest: { method: "POST", path: "/points/{id}/meter-changes", status: 201 },
  handler: async ({ db, principal, audit }, { id, at, oldFinalM3, newInitialM3, note }) => {
    if (!principal.staffRole)
      throw new AppError("FORBIDDEN", "Solo el personal de SmartHydro registra cambios de medidor");
    const when = new Date(at);
    const exists = await db.meterChange.findUnique({ where: { pointId_at: { pointId: id, at: when } } });
    if (exists) throw new AppError("CONFLICT", "Ya hay un cambio de medidor registrado en ese instante");
    const change = await db.meterChange.create({
      data: {
        pointId: id,
        at: when,
        oldFinalM3,
        newInitialM3,
        note: note ?? null,
        createdBy: principal.kind === "user" ? principal.id : null,
      },
    });
    await audit({ action: "meter_change", entity: "capture_point", entityId: id, after: change });
    const raws = await getPgPool().query<{ raw_id: string }>(
      `SELECT DISTINCT raw_id::text FROM measurement WHERE point_id = $1 AND variable = $2 AND raw_id IS NOT NULL AND ts BETWEEN $3::timestamptz - interval '6 hours' AND $3::timestamptz + interval '12 hours'`,
      [id, VARIABLE_CODE.totalizer, when],
    );
    const rawIds = raws.rows.map((r) => r.raw_id);
    await enqueueProcessRawRound(rawIds, {
      round: `meter-${change.id}`,
      chunk: Math.max(1, rawIds.length),
      reprocess: true,
      delayMs: BINDING_CACHE_MS,
    });
    return { ...change, replayedPayloads: raws.rows.length };
  },
});

export const listMeterChanges = defineOperation({
  name: "points.meterChanges",
  summary: "Cambios de medidor declarados de un punto",
  kind: "query",
  scope: "points:read",
  tenant: pointTenant,
  input: z.object({ id: IdSchema }),
  rest: { method: "GET", path: "/points/{id}/meter-changes" },
  handler: async ({ db }, { id }) => db.meterChange.findMany({ where: { pointId: id }, orderBy: { at: "desc" } }),
});
