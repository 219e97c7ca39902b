import { z } from "zod";
import { defineOperation } from "../operation";
import { AppError } from "@/domain/errors";
import { visibleClientIds } from "@/domain/auth/permissions";
import { PROVIDER_CAPABILITIES } from "@/domain/providers";
import { PROVIDER_KINDS } from "@/domain/providers/types";
import { IdSchema } from "@/domain/schemas/common";
import { enqueueCollectJobs, findCollectJob } from "@/server/collection/jobs";
import { BACKFILL_PRIORITY } from "@/server/collection/scheduler";
import { kindConfigFor, providersConfig } from "@/server/integrations/providers/config";
import { planBackfill } from "@/domain/providers/backfill";

/** Collector API: staff or a platform API key (scopes providers:read / collect:run); platform-wide. */
const Kind = z.enum(PROVIDER_KINDS);
const ids = z
  .preprocess(
    (v) => (typeof v === "string" ? v.split(",").filter(Boolean).map(Number) : v),
    z.array(IdSchema).max(1000),
  )
  .optional();
const STALE_AFTER_SEC = 3 * 3600;

function accountWhere(clientIds: number[] | null) {
  return clientIds ? { clientId: { in: clientIds } } : {};
}

function health(
  a: { active: boolean; lastSuccessAt: Date | null; lastErrorAt: Date | null },
  now: Date,
): "ok" | "error" | "stale" | "idle" | "inactive" {
  if (!a.active) return "inactive";
  if (a.lastErrorAt && (!a.lastSuccessAt || a.lastErrorAt > a.lastSuccessAt)) return "error";
  if (!a.lastSuccessAt) return "idle";
  return now.getTime() - a.lastSuccessAt.getTime() > STALE_AFTER_SEC * 1000 ? "stale" : "ok";
}

export const collectionOps = {
  providers: defineOperation({
    summary: "Tipos de proveedor, cuentas y su salud",
    kind: "query",
    scope: "providers:read",
    tenant: { kind: "platform" },
    input: z.object({}).default({}),
    rest: { method: "GET", path: "/providers" },
    handler: async ({ prisma, principal }) => {
      const now = new Date();
      const cfg = providersConfig();
      const accounts = await prisma.providerAccount.findMany({
        where: accountWhere(visibleClientIds(principal)),
        orderBy: { name: "asc" },
        select: {
          id: true,
          clientId: true,
          kind: true,
          name: true,
          active: true,
          lastSuccessAt: true,
          lastErrorAt: true,
          lastError: true,
          _count: { select: { bindings: { where: { active: true } } } },
        },
      });
      return {
        kinds: PROVIDER_KINDS.map((k) => ({
          kind: k,
          capabilities: PROVIDER_CAPABILITIES[k],
          limits: {
            ratePerMin: cfg.kinds[k].rateLimitPerMin,
            concurrency: cfg.kinds[k].concurrency,
            pageSize: cfg.kinds[k].pageSize,
          },
          windows: {
            overlapSec: cfg.kinds[k].overlapMs / 1000,
            lagSec: cfg.kinds[k].lagMs / 1000,
            lateWindowSec: cfg.kinds[k].lateWindowMs / 1000,
          },
        })),
        accounts: accounts.map(({ _count, ...a }) => ({ ...a, bindings: _count.bindings, health: health(a, now) })),
      };
    },
  }),
  run: defineOperation({
    summary: "Recolectar ahora (todas o algunas vinculaciones); con from/to es un backfill",
    kind: "mutation",
    scope: "collect:run",
    tenant: { kind: "platform" },
    input: z
      .object({
        provider: Kind,
        pointIds: ids,
        bindingIds: ids,
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
      })
      .refine((input) => (input.from === undefined) === (input.to === undefined), { message: "from y to van juntos" })
      .refine((input) => !input.from || !input.to || new Date(input.from) < new Date(input.to), {
        message: "from debe ser anterior a to",
      }),
    rest: { method: "POST", path: "/collect/{provider}" },
    handler: async ({ prisma, principal, audit }, input) => {
      const clientIds = visibleClientIds(principal);
      const bindings = await prisma.pointBinding.findMany({
        where: {
          active: true,
          account: { kind: input.provider, active: true, ...accountWhere(clientIds) },
          ...(input.pointIds ? { pointId: { in: input.pointIds } } : {}),
          ...(input.bindingIds ? { id: { in: input.bindingIds } } : {}),
        },
        select: { id: true, pointId: true, pushOnly: true, account: { select: { settings: true, pushOnly: true } } },
      });
      const now = new Date();
      const requested = input.from && input.to ? { from: new Date(input.from), to: new Date(input.to) } : null;
      // Push-only bindings have nothing to poll; a backfill is planned per account (retention may differ).
      const pollable = bindings.filter((b) => !b.pushOnly && !b.account.pushOnly);
      const plans = pollable.map((b) => {
        if (!requested) return { b, plan: null };
        const cfg = kindConfigFor(input.provider, b.account.settings as Record<string, unknown> | null);
        return { b, plan: planBackfill(requested, { retentionMs: cfg.maxWindowMs, lagMs: cfg.lagMs }, now) };
      });
      if (requested && plans.length && plans.every((p) => p.plan?.kind === "refused")) {
        throw new AppError(
          "BAD_INPUT",
          `Backfill fuera de la retención del proveedor: ${plans[0]!.plan!.kind === "refused" ? plans[0]!.plan!.reason : ""}`,
        );
      }
      const runnable = plans.filter((p) => p.plan?.kind !== "refused");
      const jobs = await enqueueCollectJobs(
        runnable.map(({ b, plan }) =>
          plan && plan.kind !== "refused"
            ? {
                kind: input.provider,
                priority: BACKFILL_PRIORITY,
                data: {
                  bindingId: b.id,
                  reason: "backfill" as const,
                  from: plan.from.toISOString(),
                  to: plan.to.toISOString(),
                  ...(plan.kind === "clipped"
                    ? { requestedFrom: plan.requestedFrom.toISOString(), clippedReason: plan.reason }
                    : {}),
                },
              }
            : {
                kind: input.provider,
                data: {
                  bindingId: b.id,
                  reason: "manual" as const,
                  at: new Date(Math.floor(now.getTime() / 10_000) * 10_000).toISOString(),
                },
              },
        ),
      );
      await audit({
        entity: "collect",
        after: { provider: input.provider, from: input.from ?? null, to: input.to ?? null, bindings: runnable.length },
      });
      return {
        provider: input.provider,
        backfill: !!requested,
        jobs: jobs.map((j, n) => {
          const plan = runnable[n]!.plan;
          return {
            id: j.jobId,
            bindingId: runnable[n]!.b.id,
            pointId: runnable[n]!.b.pointId,
            ...(plan && plan.kind !== "refused"
              ? {
                  from: plan.from.toISOString(),
                  to: plan.to.toISOString(),
                  clipped: plan.kind === "clipped" ? plan.reason : null,
                }
              : {}),
          };
        }),
        skipped: [
          ...bindings
            .filter((b) => b.pushOnly || b.account.pushOnly)
            .map((b) => ({ bindingId: b.id, reason: "push-only" })),
          ...plans
            .filter((p) => p.plan?.kind === "refused")
            .map((p) => ({ bindingId: p.b.id, reason: p.plan!.kind === "refused" ? p.plan!.reason : "" })),
        ],
      };
    },
  }),
  job: defineOperation({
    summary: "Estado y avance de un trabajo de recolección o backfill",
    kind: "query",
    scope: "providers:read",
    tenant: { kind: "platform" },
    input: z.object({ id: z.string().min(1).max(200) }),
    rest: { method: "GET", path: "/collect/jobs/{id}" },
    handler: async (_ctx, { id }) => {
      const found = await findCollectJob(id);
      if (!found) throw new AppError("NOT_FOUND", `No existe el trabajo ${id}`);
      const { job, kind } = found;
      return {
        id,
        provider: kind,
        state: await job.getState(),
        data: job.data as unknown,
        progress: job.progress as unknown,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason ?? null,
        result: (job.returnvalue ?? null) as unknown,
        createdAt: new Date(job.timestamp).toISOString(),
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      };
    },
  }),
  status: defineOperation({
    summary: "Último éxito, retraso y último error por cuenta y vinculación",
    kind: "query",
    scope: "providers:read",
    tenant: { kind: "platform" },
    input: z.object({ provider: Kind }),
    rest: { method: "GET", path: "/status/{provider}" },
    handler: async ({ prisma, principal }, { provider }) => {
      const now = new Date();
      const accounts = await prisma.providerAccount.findMany({
        where: { kind: provider, ...accountWhere(visibleClientIds(principal)) },
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          clientId: true,
          active: true,
          lastSuccessAt: true,
          lastErrorAt: true,
          lastError: true,
          bindings: {
            orderBy: { id: "asc" },
            select: {
              id: true,
              pointId: true,
              deviceRef: true,
              active: true,
              pollIntervalSec: true,
              watermarkAt: true,
              lastSuccessAt: true,
              lastErrorAt: true,
              lastError: true,
              lastErrorClass: true,
              point: { select: { name: true } },
            },
          },
        },
      });
      const lagSec = (d: Date | null) => (d ? Math.round((now.getTime() - d.getTime()) / 1000) : null);
      return {
        provider,
        at: now.toISOString(),
        accounts: accounts.map(({ bindings, ...a }) => ({
          ...a,
          health: health(a, now),
          bindings: bindings.map(({ point, ...b }) => ({
            ...b,
            pointName: point.name,
            lagSec: lagSec(b.watermarkAt),
            sinceSuccessSec: lagSec(b.lastSuccessAt),
          })),
        })),
      };
    },
  }),
};
