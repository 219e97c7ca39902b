import { z } from "zod";
import { defineOperation } from "../operation";
import { AppError } from "@/domain/errors";
import { IdSchema } from "@/domain/schemas/common";
import { MeterChangeInputSchema } from "@/domain/measurements/meter-change";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { getPgPool } from "@/server/pg";
import { enqueueProcessRawRound } from "@/server/processing/jobs";
import { pointTenant } from "./points";

/** The processor caches bindings (and meter changes) this long; the replay waits it out so it sees the new change. */
const BINDING_CACHE_MS = 31_000;

/** Meter changes of a point: part of the `points` feature, kept apart so points.ts stays short. */
export const pointMeterOps = {
  /**
   * Staff declare a replaced totalizer: from `at` the new meter counts from newInitialM3. The readings
   * around `at` are replayed so flags and consumption are right without waiting for a confirmation window.
   */
  recordMeterChange: defineOperation({
    summary: "Registrar un cambio de medidor (instante, lectura final opcional, lectura inicial)",
    kind: "mutation",
    scope: "points:write",
    tenant: pointTenant,
    input: MeterChangeInputSchema.extend({ id: IdSchema }),
    rest: { method: "POST", path: "/points/{id}/meter-changes", status: 201 },
    handler: async ({ prisma, principal, audit }, { id, at, oldFinalM3, newInitialM3, note }) => {
      if (!principal.staffRole)
        throw new AppError("FORBIDDEN", "Solo el personal de SmartHydro registra cambios de medidor");
      const when = new Date(at);
      const exists = await prisma.meterChange.findUnique({ where: { pointId_at: { pointId: id, at: when } } });
      if (exists) throw new AppError("CONFLICT", "Ya hay un cambio de medidor registrado en ese instante");
      const change = await prisma.meterChange.create({
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
  }),
  meterChanges: defineOperation({
    summary: "Cambios de medidor declarados de un punto",
    kind: "query",
    scope: "points:read",
    tenant: pointTenant,
    input: z.object({ id: IdSchema }),
    rest: { method: "GET", path: "/points/{id}/meter-changes" },
    handler: async ({ prisma }, { id }) =>
      prisma.meterChange.findMany({ where: { pointId: id }, orderBy: { at: "desc" } }),
  }),
};
