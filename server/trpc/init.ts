import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import type { Operation } from "@/server/api/operation";
import { runOperation } from "@/server/api/run-operation";
import { TRPC_CODE_BY_STATUS, toHttpError } from "@/server/api/http-errors";

export interface TrpcContext {
  prisma: Db;
  principal: Principal | null;
  requestId: string;
}

export function createInnerContext(
  prisma: Db,
  principal: Principal | null,
  requestId: string = randomUUID(),
): TrpcContext {
  return { prisma, principal, requestId };
}

export { TRPC_MAX_BATCH } from "@/domain/limits";

/**
 * What a caller may read of an error: an AppError's own message below 500, tRPC's own 4xx (bad
 * input, batch too large, not signed in); anything else — a database or runtime error — is
 * "Error interno" with the request id, exactly as REST answers it.
 */
const t = initTRPC
  .context<TrpcContext>()
  .meta<{ operation: string }>()
  .create({
    transformer: superjson,
    errorFormatter: ({ shape, error, ctx }) => {
      const cause = error.cause;
      const app = cause instanceof AppError ? cause : null;
      const internal = app
        ? app.httpStatus >= 500
        : error.code === "INTERNAL_SERVER_ERROR" || shape.data.httpStatus >= 500;
      const message = internal
        ? "Error interno"
        : app
          ? app.message
          : cause instanceof ZodError
            ? "Datos inválidos"
            : shape.message;
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          requestId: ctx?.requestId ?? null,
          appCode: app?.code ?? (internal ? "INTERNAL" : null),
          details: internal
            ? null
            : app
              ? (app.details ?? null)
              : cause instanceof ZodError
                ? z.flattenError(cause)
                : null,
        },
      };
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
      return (await runOperation(op as Operation, ctx.prisma, ctx.principal, input, ctx.requestId)) as O;
    } catch (e) {
      const { status } = toHttpError(e, ctx.requestId);
      throw new TRPCError({
        code: TRPC_CODE_BY_STATUS[status] ?? "INTERNAL_SERVER_ERROR",
        message: e instanceof Error ? e.message : "error",
        cause: e,
      });
    }
  };
}

/** Exposes a query operation as a tRPC procedure; the tenant check lives in runOperation. */
function queryFor<I extends z.ZodType, O>(op: Operation<I, O> & { kind: "query" }) {
  return authed
    .meta({ operation: op.name })
    .input(op.input)
    .query(resolverFor<O>(op as Operation<z.ZodType, O>));
}

function mutationFor<I extends z.ZodType, O>(op: Operation<I, O> & { kind: "mutation" }) {
  return authed
    .meta({ operation: op.name })
    .input(op.input)
    .mutation(resolverFor<O>(op as Operation<z.ZodType, O>));
}

type ProcedureOf<Op> = Op extends Operation<infer I, infer O> & { kind: "query" }
  ? ReturnType<typeof queryFor<I, O>>
  : Op extends Operation<infer I, infer O> & { kind: "mutation" }
    ? ReturnType<typeof mutationFor<I, O>>
    : never;

/** A feature's operations as one tRPC router: procedure `<feature>.<key>` for operation `<feature>.<key>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers are contravariant in their input
export function featureRouter<M extends Record<string, Operation<any, any>>>(ops: M) {
  const procedures = Object.fromEntries(
    Object.entries(ops).map(([key, op]) => [
      key,
      op.kind === "query"
        ? queryFor(op as typeof op & { kind: "query" })
        : mutationFor(op as typeof op & { kind: "mutation" }),
    ]),
  );
  return router(procedures as { [K in keyof M]: ProcedureOf<M[K]> });
}
