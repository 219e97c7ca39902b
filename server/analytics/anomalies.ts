import { AppError } from "@/domain/errors";
import type { Db } from "@/server/db";

export const ANOMALY_STATES = ["open", "acknowledged", "resolved"] as const;

export interface AnomalyQuery {
  /** The clients approved by the tenant check (one, or every permitted one for staff "all clients"). */
  clientIds: readonly number[];
  pointId?: number;
  from?: Date;
  to?: Date;
  type?: string;
  state?: (typeof ANOMALY_STATES)[number];
  limit: number;
  offset: number;
}

const select = {
  id: true,
  clientId: true,
  pointId: true,
  type: true,
  severity: true,
  state: true,
  reason: true,
  count: true,
  details: true,
  startedAt: true,
  lastSeenAt: true,
  ackAt: true,
  ackById: true,
  resolvedAt: true,
  point: { select: { name: true, obraCode: true } },
  client: { select: { name: true } },
} as const;

export async function listAnomalies(db: Db, q: AnomalyQuery) {
  const where = {
    clientId: q.clientIds.length === 1 ? q.clientIds[0]! : { in: [...q.clientIds] },
    ...(q.pointId ? { pointId: q.pointId } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.state ? { state: q.state } : {}),
    ...(q.from || q.to ? { startedAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
  };
  const [items, total] = await Promise.all([
    db.anomaly.findMany({
      where,
      select,
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: q.limit,
      skip: q.offset,
    }),
    db.anomaly.count({ where }),
  ]);
  return { items, total, limit: q.limit, offset: q.offset };
}

async function getAnomaly(db: Db, id: number) {
  const a = await db.anomaly.findUnique({ where: { id }, select });
  if (!a) throw new AppError("NOT_FOUND", "Anomalía no encontrada");
  return a;
}

/** open → acknowledged (who and when); acknowledging twice is a no-op, a resolved one cannot be acknowledged. */
export async function ackAnomaly(db: Db, id: number, userId: number | null, now: Date) {
  const before = await getAnomaly(db, id);
  if (before.state === "resolved") throw new AppError("CONFLICT", "La anomalía ya está resuelta");
  if (before.state === "acknowledged") return { before, after: before };
  const after = await db.anomaly.update({
    where: { id },
    data: { state: "acknowledged", ackAt: now, ackById: userId },
    select,
  });
  return { before, after };
}

export async function resolveAnomaly(db: Db, id: number, userId: number | null, now: Date) {
  const before = await getAnomaly(db, id);
  if (before.state === "resolved") return { before, after: before };
  const after = await db.anomaly.update({
    where: { id },
    data: { state: "resolved", resolvedAt: now, ...(before.ackAt ? {} : { ackAt: now, ackById: userId }) },
    select,
  });
  return { before, after };
}
