import { z } from "zod";
import { defineOperation } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { AppError } from "@/domain/errors";
import { getPgPool } from "@/server/pg";
import { clientForecast, pointForecast } from "@/server/forecast/service";
import { pointTenant } from "./points";

/** Optional reference instant (ISO) for reproducible answers; defaults to now and may not be in the future. */
const AtSchema = z.coerce.date().optional();

function asOf(at: Date | undefined): Date {
  const now = new Date();
  if (at && at.getTime() > now.getTime() + 60_000)
    throw new AppError("BAD_INPUT", "La fecha de referencia no puede estar en el futuro");
  return at ?? now;
}

export const forecastOps = {
  point: defineOperation({
    summary:
      "Proyección de extracción del punto frente a su derecho (mes y año hidrológico, con intervalo y fecha de superación) y tendencia de nivel",
    kind: "query",
    scope: "measurements:read",
    tenant: pointTenant,
    module: "telemetry",
    input: z.object({ id: IdSchema, at: AtSchema }),
    rest: { method: "GET", path: "/forecast/points/{id}" },
    handler: async (_ctx, input) => {
      const f = await pointForecast(getPgPool(), input.id, asOf(input.at));
      if (!f) throw new AppError("NOT_FOUND", "Punto no encontrado");
      return f;
    },
  }),
  client: defineOperation({
    summary:
      "Proyección de extracción de todos los puntos activos de un cliente y su suma frente a la suma de derechos",
    kind: "query",
    scope: "measurements:read",
    tenant: { kind: "client" },
    module: "telemetry",
    input: z.object({ clientId: IdSchema, at: AtSchema }),
    rest: { method: "GET", path: "/forecast" },
    handler: async (_ctx, input) => clientForecast(getPgPool(), input.clientId, asOf(input.at)),
  }),
};
