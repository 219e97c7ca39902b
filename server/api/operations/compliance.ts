import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { IdSchema } from "@/domain/schemas/common";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { dgaConfig } from "@/server/dga/config";
import { runCycle } from "@/server/dga/cycle";
import { enqueueSubmissions } from "@/server/dga/jobs";
import { verifyReceipt } from "@/server/dga/receipts";
import * as read from "@/server/dga/compliance-read";
import * as write from "@/server/dga/compliance-write";

const slotTenant = recordTenant(
  async (db: Db, i: { slotId: number }) =>
    (
      await db.dgaSlot.findUnique({
        where: { id: BigInt(i.slotId) },
        select: { point: { select: { clientId: true } } },
      })
    )?.point.clientId ?? null,
);
const pointTenant = recordTenant(
  async (db: Db, i: { pointId: number }) =>
    (await db.capturePoint.findUnique({ where: { id: i.pointId }, select: { clientId: true } }))?.clientId ?? null,
);

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Mes con formato YYYY-MM");
const currentMonth = () => new Date(Date.now() - 4 * 3_600_000).toISOString().slice(0, 7);
const ClientScope = { clientId: IdSchema, pointId: IdSchema.optional() };
const Value = z.coerce.number().finite().nullable().optional();
const Note = z.string().trim().min(3, "La nota es obligatoria").max(1000);
const reviewerId = (p: { kind: string; id: number }) => (p.kind === "user" ? p.id : null);

export const complianceCalendar = defineOperation({
  name: "compliance.calendar",
  summary: "Calendario DGA de un mes (semáforo por día y slot)",
  kind: "query",
  scope: "compliance:read",
  tenant: { kind: "client" },
  module: "dga",
  input: z.object({ ...ClientScope, month: Month.optional() }),
  rest: { method: "GET", path: "/compliance/calendar" },
  handler: async (_ctx, i) => read.calendar(getPgPool(), { ...i, month: i.month ?? currentMonth() }, new Date()),
});

export const complianceSummary = defineOperation({
  name: "compliance.summary",
  summary: "Cumplimiento DGA por mes y punto",
  kind: "query",
  scope: "compliance:read",
  tenant: { kind: "client" },
  module: "dga",
  input: z.object({ ...ClientScope, fromMonth: Month.optional(), toMonth: Month.optional() }),
  rest: { method: "GET", path: "/compliance/summary" },
  handler: async (_ctx, i) =>
    read.summary(
      getPgPool(),
      { ...i, fromMonth: i.fromMonth ?? i.toMonth ?? currentMonth(), toMonth: i.toMonth ?? currentMonth() },
      new Date(),
    ),
});

export const complianceReviewQueue = defineOperation({
  name: "compliance.reviewQueue",
  summary: "Slots DGA que requieren revisión",
  kind: "query",
  scope: "compliance:read",
  tenant: { kind: "client" },
  module: "dga",
  input: z.object({ ...ClientScope, limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  rest: { method: "GET", path: "/compliance/review" },
  handler: async (_ctx, i) => read.reviewQueue(getPgPool(), i),
});

export const complianceAccept = defineOperation({
  name: "compliance.accept",
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
  handler: async ({ audit, principal }, i) => {
    const r = await write.acceptSlot(getPgPool(), { ...i, reviewerId: reviewerId(principal) }, new Date(), dgaConfig());
    await audit({ entity: "dga_slot", entityId: i.slotId, clientId: r.clientId, before: r.before, after: r.after });
    return { slotId: String(i.slotId), ...r.after };
  },
});

export const complianceDiscard = defineOperation({
  name: "compliance.discard",
  summary: "Descartar un slot (queda omitido, con nota)",
  kind: "mutation",
  scope: "compliance:review",
  tenant: slotTenant,
  module: "dga",
  input: z.object({ slotId: IdSchema, note: Note }),
  rest: { method: "POST", path: "/compliance/slots/{slotId}/discard" },
  handler: async ({ audit, principal }, i) => {
    const r = await write.discardSlot(getPgPool(), { ...i, reviewerId: reviewerId(principal) });
    await audit({ entity: "dga_slot", entityId: i.slotId, clientId: r.clientId, before: r.before, after: r.after });
    return { slotId: String(i.slotId), ...r.after };
  },
});

const ReceiptsInput = z.object({
  ...ClientScope,
  month: Month.optional(),
  limit: z.coerce.number().int().min(1).max(50_000).default(1000),
});

export const complianceReceipts = defineOperation({
  name: "compliance.receipts",
  summary: "Comprobantes DGA con enlace de consulta",
  kind: "query",
  scope: "compliance:read",
  tenant: { kind: "client" },
  module: "dga",
  input: ReceiptsInput,
  rest: { method: "GET", path: "/compliance/receipts" },
  handler: async (_ctx, i) => read.receipts(getPgPool(), i, dgaConfig().apiUrl),
});

export const complianceReceiptsCsv = defineOperation({
  name: "compliance.receiptsCsv",
  summary: "Comprobantes DGA en CSV",
  kind: "query",
  scope: "compliance:read",
  tenant: { kind: "client" },
  module: "dga",
  input: ReceiptsInput,
  rest: { method: "GET", path: "/compliance/receipts/csv" },
  handler: async (_ctx, i) => ({
    fileName: `comprobantes-dga-${i.clientId}${i.month ? `-${i.month}` : ""}.csv`,
    contentType: "text/csv",
    csv: read.receiptsCsv(await read.receipts(getPgPool(), i, dgaConfig().apiUrl)),
  }),
});

export const complianceVerifyReceipt = defineOperation({
  name: "compliance.verifyReceipt",
  summary: "Verificar un comprobante contra MEE (GET)",
  kind: "mutation",
  scope: "compliance:operate",
  tenant: slotTenant,
  module: "dga",
  input: z.object({ slotId: IdSchema }),
  rest: { method: "POST", path: "/compliance/slots/{slotId}/verify" },
  handler: async ({ audit }, i) => {
    const r = await verifyReceipt(getPgPool(), String(i.slotId), new Date(), dgaConfig());
    await audit({ entity: "dga_slot", entityId: i.slotId, after: r });
    return r;
  },
});

export const complianceSetTransport = defineOperation({
  name: "compliance.setTransport",
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
  handler: async ({ audit, principal }, i) => {
    const r = await write.setTransport(getPgPool(), { ...i, actor: principal.label }, new Date(), dgaConfig());
    await audit({
      entity: "capture_point",
      entityId: i.pointId,
      clientId: r.clientId,
      before: r.before,
      after: r.after,
    });
    return { pointId: i.pointId, ...r.after };
  },
});

export const complianceRunCycle = defineOperation({
  name: "compliance.runCycle",
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
});

export const complianceSlotAttempts = defineOperation({
  name: "compliance.slotAttempts",
  summary: "Intentos de envío de un slot (auditoría, contraseña oculta)",
  kind: "query",
  scope: "compliance:read",
  tenant: slotTenant,
  module: "dga",
  input: z.object({ slotId: IdSchema }),
  rest: { method: "GET", path: "/compliance/slots/{slotId}/attempts" },
  handler: async (_ctx, i) => read.slotAttempts(getPgPool(), i.slotId),
});
