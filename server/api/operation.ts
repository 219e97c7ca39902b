import type { z } from "zod";
import type { Scope, Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";

/**
 * One business operation, served both as a tRPC procedure and (optionally) as a REST endpoint,
 * and described in the OpenAPI document from the same zod schemas.
 *
 * Tenant scope is declared, never improvised: `client` reads clientId from the validated input,
 * `record` resolves the owning client of the addressed record, `platform` is cross-client (staff or
 * filtered lists). The one middleware in run-operation.ts enforces it.
 */
export type TenantMode =
  | { kind: "client" }
  | { kind: "record"; resolve: (db: Db, input: never) => Promise<number | null> }
  | { kind: "platform" };

export interface OperationCtx {
  db: Db;
  principal: Principal;
  /** The client the tenant check approved (null for platform operations). */
  clientId: number | null;
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

export interface RestBinding {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under /api/v1, with {param} placeholders that map to input fields. */
  path: string;
  /** Status on success (default 200; 201 for creations). */
  status?: number;
}

export interface Operation<I extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
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
  /** Optional CSV rendering of the result, served by REST when the request's Accept includes text/csv. */
  csv?(result: O): string;
}

export function defineOperation<I extends z.ZodType, O, K extends "query" | "mutation">(
  op: Operation<I, O> & { kind: K },
): Operation<I, O> & { kind: K } {
  return op;
}

export function recordTenant<T>(resolve: (db: Db, input: T) => Promise<number | null>): TenantMode {
  return { kind: "record", resolve: resolve as (db: Db, input: never) => Promise<number | null> };
}
