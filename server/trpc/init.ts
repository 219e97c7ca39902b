import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import type { Operation } from "@/server/api/operation";
import { runOperation } from "@/server/api/run-operation";
import { TRPC_CODE_BY_STATUS, toHttpError } from "@/server/api/http-errors";

export interface TrpcContext {
  db: Db;
  principal: Principal | null;
  requestId: string;
}

export function createInnerContext(db: Db, principal: Principal | null): TrpcContext {
  return { db, principal, requestId: randomUUID() };
}

const t = initTRPC.context<TrpcContext>().meta<{ operation: string }>().create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause;
    const app = cause instanceof AppError ? cause : null;
    return { ...shape, message: app ? (app.httpStatus >= 500 ? "Error interno" : app.message) : shape.message, data: { ...shape.data, appCode: app?.code ?? null, details: app && app.httpStatus < 500 ? (app.details ?? null) : null, stack: undefined } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const authed = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Inicie sesión" });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

function resolverFor<O>(op: Operation<z.ZodType, O>) {
  return async ({ ctx, input }: { ctx: TrpcContext & { principal: Principal }; input: unknown }): Promise<O> => {
    try {
      return (await runOperation(op as Operation, ctx.db, ctx.principal, input, ctx.requestId)) as O;
    } catch (e) {
      const { status } = toHttpError(e, ctx.requestId);
      throw new TRPCError({ code: TRPC_CODE_BY_STATUS[status] ?? "INTERNAL_SERVER_ERROR", message: e instanceof Error ? e.message : "error", cause: e });
    }
  };
}

/** Exposes a query operation as a tRPC procedure; the tenant check lives in runOperation. */
export function queryFor<I extends z.ZodType, O>(op: Operation<I, O> & { kind: "query" }) {
  return authed.meta({ operation: op.name }).input(op.input).query(resolverFor<O>(op as Operation<z.ZodType, O>));
}

export function mutationFor<I extends z.ZodType, O>(op: Operation<I, O> & { kind: "mutation" }) {
  return authed.meta({ operation: op.name }).input(op.input).mutation(resolverFor<O>(op as Operation<z.ZodType, O>));
}
