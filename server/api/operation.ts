import type { z } from "zod";
import type { Scope, Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";

/**
 * One business operation, served both as a tRPC procedure and (optionally) as a REST endpoint,
 * and described in the OpenAPI document from the same zod schemas.
 *
 * Tenant scope is declared, never improvised: `client` reads clientId from the validated input,
 * `record` resolves the owning client of the addressed record, `clients` is `client` when the input names
 * one and otherwise every client the principal may use the operation on (staff "Todos los clientes"),
 * `platform` is cross-client (staff or filtered lists). The one middleware in run-operation.ts enforces it.
 */
export type TenantMode =
  | { kind: "client" }
  | { kind: "clients" }
  | { kind: "record"; resolve: (prisma: Db, input: never) => Promise<number | null> }
  | { kind: "platform" };

export interface OperationCtx {
  /** The Prisma client (business tables); measurements go through the `pg` pool of server/pg.ts. */
  prisma: Db;
  principal: Principal;
  /** The client the tenant check approved (null for platform operations and `clients` operations without one). */
  clientId: number | null;
  /**
   * The clients the tenant check approved: `[clientId]` when there is one; for a `clients` operation without
   * clientId, every client the principal may use it on (scope and module checked); empty for platform operations.
   */
  clientIds: readonly number[];
  requestId: string;
  /** Records an audit row; mutations that don't call it get a generic one from the runner. */
  audit: (entry: {
    action?: string;
    entity: string;
    entityId?: string | number | null;
    clientId?: number | null;
    before?: unknown;
    after?: unknown;
  }) => Promise<void>;
}

interface RestBinding {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under /api/v1, with {param} placeholders that map to input fields. */
  path: string;
  /** Status on success (default 200; 201 for creations). */
  status?: number;
}

/** What a feature file writes: everything but the name, which is `<feature>.<key>` of its place in the registry. */
export interface OperationDefinition<I extends z.ZodType = z.ZodType, O = unknown> {
  summary: string;
  kind: "query" | "mutation";
  scope: Scope;
  tenant: TenantMode;
  input: I;
  output?: z.ZodType<O>;
  rest?: RestBinding;
  /** Module the client must have contracted (checked with the tenant). */
  module?: "telemetry" | "dga" | "reports" | "alerts" | "api";
  handler: (ctx: OperationCtx, input: z.infer<I>) => Promise<O>;
  /**
   * What REST serializes instead of the result: the same JSON text, built faster (e.g. instants already as
   * ISO strings, server/http/json-dates.ts). The tRPC transport keeps the result itself.
   */
  restBody?(result: O): unknown;
  /**
   * The handler may hand one result object to several concurrent requests (request collapsing) and never
   * changes it afterwards: REST encodes it once for all of them.
   */
  sharedResult?: true;
  /** Optional CSV rendering of the result, served by REST when the request's Accept includes text/csv. */
  csv?(result: O): string;
}

/** A registered operation: its name is the tRPC path, the audit action and the OpenAPI operationId. */
export interface Operation<I extends z.ZodType = z.ZodType, O = unknown> extends OperationDefinition<I, O> {
  readonly name: string;
}

export function defineOperation<I extends z.ZodType, O, K extends "query" | "mutation">(
  op: OperationDefinition<I, O> & { kind: K },
): OperationDefinition<I, O> & { kind: K } {
  return op;
}

/** A feature's operations keyed by procedure name, e.g. `{ list: defineOperation(…), create: … }`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers are contravariant in their input
export type OperationMap = Record<string, OperationDefinition<any, any>>;

type Named<M extends OperationMap> = {
  [K in keyof M]: M[K] extends OperationDefinition<infer I, infer O> & { kind: infer Kind }
    ? Operation<I, O> & { kind: Kind }
    : never;
};

/** Names every operation `<feature>.<key>` (new objects: a definition never carries a name that could drift). */
export function nameOperations<F extends Record<string, OperationMap>>(features: F): { [P in keyof F]: Named<F[P]> } {
  return Object.fromEntries(
    Object.entries(features).map(([feature, ops]) => [
      feature,
      Object.fromEntries(Object.entries(ops).map(([key, op]) => [key, { ...op, name: `${feature}.${key}` }])),
    ]),
  ) as { [P in keyof F]: Named<F[P]> };
}

export function recordTenant<T>(resolve: (prisma: Db, input: T) => Promise<number | null>): TenantMode {
  return { kind: "record", resolve: resolve as (prisma: Db, input: never) => Promise<number | null> };
}
