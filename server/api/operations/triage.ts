import { z } from "zod";
import { dgaMonthOf } from "@/domain/dga/time";
import { defineOperation } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { principalCan } from "@/domain/auth/permissions";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { env } from "@/server/env";
import { clientTriage } from "@/server/analytics/triage";

export const triageOps = {
  client: defineOperation({
    summary: "Qué necesita atención: cada punto con su estado y el motivo en palabras, lo más urgente primero",
    kind: "query",
    scope: "measurements:read",
    tenant: { kind: "client" },
    module: "telemetry",
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/triage" },
    handler: async ({ prisma, principal }, input) => {
      const now = new Date();
      const dga =
        principalCan(principal, "compliance:read", input.clientId) &&
        !!(
          await prisma.clientModule.findUnique({
            where: { clientId_module: { clientId: input.clientId, module: "dga" } },
          })
        )?.enabled;
      return clientTriage(getPgPool(), { clientId: input.clientId, dgaMonth: dga ? dgaMonthOf(now) : null }, now, {
        redis: getRedis(),
        prefix: env().REDIS_NAMESPACE,
      });
    },
  }),
};
