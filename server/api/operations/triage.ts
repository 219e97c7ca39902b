import { z } from "zod";
import { defineOperation } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import { principalCan } from "@/domain/auth/permissions";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { env } from "@/server/env";
import { clientTriage } from "@/server/analytics/triage";

/** The current month on the DGA clock (fixed UTC-4). */
const dgaMonth = (now: Date) => new Date(now.getTime() - 4 * 3_600_000).toISOString().slice(0, 7);

export const triageClient = defineOperation({
  name: "triage.client",
  summary: "Qué necesita atención: cada punto con su estado y el motivo en palabras, lo más urgente primero",
  kind: "query",
  scope: "measurements:read",
  tenant: { kind: "client" },
  module: "telemetry",
  input: z.object({ clientId: IdSchema }),
  rest: { method: "GET", path: "/triage" },
  handler: async ({ db, principal }, i) => {
    const now = new Date();
    const dga =
      principalCan(principal, "compliance:read", i.clientId) &&
      !!(await db.clientModule.findUnique({ where: { clientId_module: { clientId: i.clientId, module: "dga" } } }))
        ?.enabled;
    return clientTriage(getPgPool(), { clientId: i.clientId, dgaMonth: dga ? dgaMonth(now) : null }, now, {
      redis: getRedis(),
      prefix: env().QUEUE_PREFIX,
    });
  },
});
