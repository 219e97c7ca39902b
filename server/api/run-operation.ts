import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/domain/errors";
import { principalCan, roleOnClient, visibleClientIds, type Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import type { Operation, OperationCtx } from "./operation";
import { writeAudit, writeSecurityEvent } from "@/server/services/audit.service";
import { redactSecrets } from "@/domain/redact";
import { fromDatabaseError } from "./http-errors";
import { memoModuleEnabled } from "./request-memo";
import { NUL_MESSAGE, nulBytePath } from "@/domain/text";

/**
 * The one tenant and permission check. Order matters: a principal with no access to the client
 * gets NOT_FOUND (no existence leak); access without the scope gets FORBIDDEN.
 */
export async function runOperation(
  op: Operation,
  prisma: Db,
  principal: Principal,
  rawInput: unknown,
  requestId: string = randomUUID(),
): Promise<unknown> {
  const nul = nulBytePath(rawInput);
  if (nul !== null)
    throw new AppError("BAD_INPUT", NUL_MESSAGE, { details: { fieldErrors: { [nul || "input"]: [NUL_MESSAGE] } } });
  const parsed = op.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new AppError("BAD_INPUT", "Datos inválidos", { details: z.flattenError(parsed.error) });
  const input = parsed.data as never;

  let clientId: number | null = null;
  if (op.tenant.kind === "client" || op.tenant.kind === "clients") {
    const cid = (input as { clientId?: unknown }).clientId;
    if (typeof cid === "number") clientId = cid;
    else if (op.tenant.kind === "client") throw new AppError("BAD_INPUT", "clientId es obligatorio");
  } else if (op.tenant.kind === "record") {
    clientId = await op.tenant.resolve(prisma, input);
    if (clientId == null) throw new AppError("NOT_FOUND", "No encontrado");
  }

  const deny = async (code: "NOT_FOUND" | "FORBIDDEN", message: string) => {
    await writeSecurityEvent(prisma, {
      action: "access.denied",
      actorLabel: principal.label,
      actorUserId: principal.kind === "user" ? principal.id : null,
      actorApiKeyId: principal.kind === "apiKey" ? principal.id : null,
      details: { operation: op.name, clientId, outcome: code, requestId },
    });
    return new AppError(code, message);
  };
  if (clientId != null) {
    if (roleOnClient(principal, clientId) == null) throw await deny("NOT_FOUND", "No encontrado");
    if (!principalCan(principal, op.scope, clientId))
      throw await deny("FORBIDDEN", "No tiene permiso para esta acción");
    if (op.module) {
      const module = op.module;
      const enabled = await memoModuleEnabled(clientId, module, async () => {
        const m = await prisma.clientModule.findUnique({ where: { clientId_module: { clientId, module } } });
        return m?.enabled === true;
      });
      if (!enabled) throw new AppError("FORBIDDEN", `El módulo ${op.module} no está contratado por este cliente`);
    }
  }
  // A `clients` operation without clientId acts on every client the principal may use it on, never on others.
  const clientIds =
    clientId != null ? [clientId] : op.tenant.kind === "clients" ? await permittedClients(prisma, principal, op) : [];
  if (clientId == null && clientIds.length === 0 && !principalCan(principal, op.scope, null))
    throw await deny("FORBIDDEN", "No tiene permiso para esta acción");

  let audited = false;
  const ctx: OperationCtx = {
    prisma,
    principal,
    clientId,
    clientIds,
    requestId,
    audit: async (e) => {
      audited = true;
      await writeAudit(prisma, principal, {
        action: e.action ?? op.name,
        entity: e.entity,
        entityId: e.entityId,
        clientId: e.clientId ?? clientId,
        before: e.before,
        after: e.after,
      });
    },
  };
  let result: unknown;
  try {
    result = await op.handler(ctx, input);
  } catch (e) {
    throw fromDatabaseError(e);
  }
  if (op.kind === "mutation" && !audited) {
    await writeAudit(prisma, principal, {
      action: op.name,
      entity: op.name.split(".")[0] ?? op.name,
      entityId: null,
      clientId,
      before: null,
      after: redactSecrets(input),
    });
  }
  return result;
}

/** The clients (by id) the principal may see, holding the operation's scope and, if it needs one, its module. */
async function permittedClients(prisma: Db, principal: Principal, op: Operation): Promise<number[]> {
  const visible = visibleClientIds(principal);
  const rows = await prisma.client.findMany({
    where: {
      ...(visible ? { id: { in: visible } } : {}),
      ...(op.module ? { modules: { some: { module: op.module, enabled: true } } } : {}),
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.id).filter((id) => principalCan(principal, op.scope, id));
}
