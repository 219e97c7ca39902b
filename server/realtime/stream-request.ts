import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import { principalCan, visibleClientIds, type Principal } from "@/domain/auth/permissions";
import { toHttpError } from "@/server/api/http-errors";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { createRedis, getRedis } from "@/server/redis";
import { readLatest } from "./latest";
import { callerKey } from "@/server/security/limiters";
import { acquireStreamSlot } from "@/server/security/stream-slots";
import { SSE_HEADERS, realtimeSseStream } from "./sse";

/**
 * GET /api/v1/realtime/stream for an already resolved principal: 401 without one, 403 without
 * measurements:read; otherwise an SSE stream limited to the clients the principal may see.
 * `clientId` (query) narrows it to one visible client.
 */
export async function realtimeStreamResponse(db: Db, principal: Principal | null, req: Request): Promise<Response> {
  try {
    if (!principal) throw new AppError("UNAUTHENTICATED", "Sesión o token requerido");
    const visible = visibleClientIds(principal);
    const requested = new URL(req.url).searchParams.get("clientId");
    let clientIds: number[] | null = visible;
    if (requested !== null) {
      const id = Number(requested);
      if (!Number.isInteger(id) || id <= 0) throw new AppError("BAD_INPUT", "clientId inválido");
      if (visible !== null && !visible.includes(id)) throw new AppError("FORBIDDEN", "Sin acceso a ese cliente");
      clientIds = [id];
    }
    const scopeClient = clientIds?.length === 1 ? clientIds[0]! : null;
    if (
      !principalCan(principal, "measurements:read", scopeClient) &&
      !(clientIds ?? []).some((c) => principalCan(principal, "measurements:read", c))
    ) {
      throw new AppError("FORBIDDEN", "Sin permiso measurements:read");
    }
    const readable =
      clientIds === null ? null : clientIds.filter((c) => principalCan(principal, "measurements:read", c));
    const prefix = env().REDIS_NAMESPACE;
    const slot = await acquireStreamSlot(callerKey(principal));
    const stream = realtimeSseStream({
      onHeartbeat: slot.renew,
      onClose: slot.release,
      prefix,
      clientIds: readable,
      signal: req.signal,
      createSubscriber: () => createRedis({ maxRetriesPerRequest: null }),
      snapshot: async () => {
        const points = await db.capturePoint.findMany({
          where: readable === null ? {} : { clientId: { in: readable } },
          select: { id: true, clientId: true },
        });
        return readLatest(
          getRedis(),
          prefix,
          points.map((p) => ({ clientId: p.clientId, pointId: p.id })),
        );
      },
    });
    return new Response(stream, { status: 200, headers: SSE_HEADERS });
  } catch (e) {
    const h = toHttpError(e, randomUUID());
    return Response.json(h.body, { status: h.status, headers: h.headers });
  }
}
