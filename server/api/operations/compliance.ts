import { z } from "zod";
import { dgaMonthOf } from "@/domain/dga/time";
import { defineOperation, recordTenant, type OperationCtx } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { dgaConfig } from "@/server/dga/config";
import { runCycle } from "@/server/dga/cycle";
import { enqueueSubmissions } from "@/server/dga/jobs";
import { verifyReceipt } from "@/server/dga/receipts";
import * as read from "@/server/dga/compliance-read";
import * as write from "@/server/dga/compliance-write";
import { matrix } from "@/server/dga/compliance-matrix";
import { clientOfPoint } from "./points";

const slotTenant = recordTenant(
  async (prisma: Db, input: { slotId: number }) =>
    (
      await prisma.dgaSlot.findUnique({
        where: { id: BigInt(input.slotId) },
        select: { point: { select: { clientId: true } } },
      })
    )?.point.clientId ?? null,
);
const pointTenant = recordTenant((prisma: Db, input: { pointId: number }) => clientOfPoint(prisma, input.pointId));

/** A reviewed slot: audited with its state before and after, answered with the state after. */
async function reviewed<R extends { clientId: number; before: unknown; after: object }>(
  audit: OperationCtx["audit"],
  slotId: number,
  r: R,
): Promise<{ slotId: string } & R["after"]> {
  await audit({ entity: "dga_slot", entityId: slotId, clientId: r.clientId, before: r.before, after: r.after });
  return { slotId: String(slotId), ...r.after };
}

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Mes con formato YYYY-MM");
const currentMonth = () => dgaMonthOf(new Date());
const ClientScope = { clientId: IdSchema, pointId: IdSchema.optional() };
const Value = z.coerce.number().finite().nullable().optional();
const Note = z.string().trim().min(3, "La nota es obligatoria").max(1000);
const reviewerId = (p: { kind: string; id: number }) => (p.kind === "user" ? p.id : null);

const ReceiptsInput = z.object({
  ...ClientScope,
  month: Month.optional(),
  limit: z.coerce.number().int().min(1).max(50_000).default(1000),
});

export const complianceOps = {
  calendar: defineOperation({
    summary: "Calendario DGA de un mes (semáforo por día y slot)",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "client" },
    module: "dga",
    input: z.object({ ...ClientScope, month: Month.optional() }),
    rest: { method: "GET", path: "/compliance/calendar" },
    handler: async (_ctx, input) =>
      read.calendar(getPgPool(), { ...input, month: input.month ?? currentMonth() }, new Date()),
  }),
  matrix: defineOperation({
    summary: "Cumplimiento DGA del mes por punto y día (matriz), con los totales del mes",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "client" },
    module: "dga",
    input: z.object({ clientId: IdSchema, month: Month.optional() }),
    rest: { method: "GET", path: "/compliance/matrix" },
    handler: async (_ctx, input) =>
      matrix(getPgPool(), { clientId: input.clientId, month: input.month ?? currentMonth() }, new Date()),
  }),
  summary: defineOperation({
    summary: "Cumplimiento DGA por mes y punto",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "client" },
    module: "dga",
    input: z.object({ ...ClientScope, fromMonth: Month.optional(), toMonth: Month.optional() }),
    rest: { method: "GET", path: "/compliance/summary" },
    handler: async (_ctx, input) =>
      read.summary(
        getPgPool(),
        {
          ...input,
          fromMonth: input.fromMonth ?? input.toMonth ?? currentMonth(),
          toMonth: input.toMonth ?? currentMonth(),
        },
        new Date(),
      ),
  }),
  reviewQueue: defineOperation({
    summary: "Slots DGA que requieren revisión",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "client" },
    module: "dga",
    input: z.object({ ...ClientScope, limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    rest: { method: "GET", path: "/compliance/review" },
    handler: async (_ctx, input) => read.reviewQueue(getPgPool(), input),
  }),
  accept: defineOperation({
    summary: "Aceptar un slot en revisión (valores corregidos y nota obligatoria)",
    kind: "mutation",
    scope: "compliance:review",
    tenant: slotTenant,
    module: "dga",
    input: z.object({
      slotId: IdSchema,
      note: Note,
      receipt: z
        .string()
        .regex(/^[A-Za-z0-9]{8,64}$/)
        .optional(),
      values: z.object({ flowLps: Value, totalizerM3: Value, levelM: Value, heightCm: Value }).default({}),
    }),
    rest: { method: "POST", path: "/compliance/slots/{slotId}/accept" },
    handler: async ({ audit, principal }, input) => {
      const r = await write.acceptSlot(
        getPgPool(),
        { ...input, reviewerId: reviewerId(principal) },
        new Date(),
        dgaConfig(),
      );
      return reviewed(audit, input.slotId, r);
    },
  }),
  discard: defineOperation({
    summary: "Descartar un slot (queda omitido, con nota)",
    kind: "mutation",
    scope: "compliance:review",
    tenant: slotTenant,
    module: "dga",
    input: z.object({ slotId: IdSchema, note: Note }),
    rest: { method: "POST", path: "/compliance/slots/{slotId}/discard" },
    handler: async ({ audit, principal }, input) => {
      const r = await write.discardSlot(getPgPool(), { ...input, reviewerId: reviewerId(principal) });
      return reviewed(audit, input.slotId, r);
    },
  }),
  receipts: defineOperation({
    summary: "Comprobantes DGA con enlace de consulta",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "client" },
    module: "dga",
    input: ReceiptsInput,
    rest: { method: "GET", path: "/compliance/receipts" },
    handler: async (_ctx, input) => read.receipts(getPgPool(), input, dgaConfig().apiUrl),
  }),
  receiptsCsv: defineOperation({
    summary: "Comprobantes DGA en CSV",
    kind: "query",
    scope: "compliance:read",
    tenant: { kind: "client" },
    module: "dga",
    input: ReceiptsInput,
    rest: { method: "GET", path: "/compliance/receipts/csv" },
    handler: async (_ctx, input) => ({
      fileName: `comprobantes-dga-${input.clientId}${input.month ? `-${input.month}` : ""}.csv`,
      contentType: "text/csv",
      csv: read.receiptsCsv(await read.receipts(getPgPool(), input, dgaConfig().apiUrl)),
    }),
  }),
  verifyReceipt: defineOperation({
    summary: "Verificar un comprobante contra MEE (GET)",
    kind: "mutation",
    scope: "compliance:operate",
    tenant: slotTenant,
    module: "dga",
    input: z.object({ slotId: IdSchema }),
    rest: { method: "POST", path: "/compliance/slots/{slotId}/verify" },
    handler: async ({ audit }, input) => {
      const r = await verifyReceipt(getPgPool(), String(input.slotId), new Date(), dgaConfig());
      await audit({ entity: "dga_slot", entityId: input.slotId, after: r });
      return r;
    },
  }),
  setTransport: defineOperation({
    summary: "Cambiar el transporte DGA de un punto (off, shadow, live)",
    kind: "mutation",
    scope: "compliance:operate",
    tenant: pointTenant,
    module: "dga",
    input: z.object({
      pointId: IdSchema,
      transport: z.enum(["off", "shadow", "live"]),
      liveFrom: z.coerce.date().optional(),
    }),
    rest: { method: "PUT", path: "/compliance/points/{pointId}/transport" },
    handler: async ({ audit, principal }, input) => {
      const r = await write.setTransport(getPgPool(), { ...input, actor: principal.label }, new Date(), dgaConfig());
      await audit({
        entity: "capture_point",
        entityId: input.pointId,
        clientId: r.clientId,
        before: r.before,
        after: r.after,
      });
      return { pointId: input.pointId, ...r.after };
    },
  }),
  runCycle: defineOperation({
    summary: "Ejecutar ahora un ciclo DGA (crear, llenar, reconciliar, encolar envíos)",
    kind: "mutation",
    scope: "compliance:operate",
    tenant: { kind: "platform" },
    input: z.object({}).default({}),
    rest: { method: "POST", path: "/compliance/cycle" },
    handler: async ({ audit }) => {
      const now = new Date();
      const summary = await runCycle({
        pool: getPgPool(),
        now,
        cfg: dgaConfig({ workerId: "api" }),
        dispatch: (p) => enqueueSubmissions(p, now.getTime()),
      });
      await audit({ entity: "dga_cycle", after: summary });
      return summary;
    },
  }),
  slotAttempts: defineOperation({
    summary: "Intentos de envío de un slot (auditoría, contraseña oculta)",
    kind: "query",
    scope: "compliance:read",
    tenant: slotTenant,
    module: "dga",
    input: z.object({ slotId: IdSchema }),
    rest: { method: "GET", path: "/compliance/slots/{slotId}/attempts" },
    handler: async (_ctx, input) => read.slotAttempts(getPgPool(), input.slotId),
  }),
};
