import { AppError } from "@/domain/errors";
import type { ErrorClass } from "@/domain/providers/types";
import type { Db } from "@/server/db";
import { getLogger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { queuePrefix } from "@/server/queues/connection";
import { getRedis } from "@/server/redis";

/** One open notification per binding and error class per this period (groupKey dedupe). */
const NOTIFY_EVERY_MS = 24 * 3600_000;

export interface FailureInfo {
  bindingId: number;
  errorClass: ErrorClass["kind"];
  error: unknown;
  /** Retries are exhausted (or the error is not retryable): alert staff. */
  final: boolean;
  now: Date;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 1000);

/**
 * Records the failure on the binding and its account; permanent and auth failures, and transient
 * ones that exhausted their retries, raise a staff notification (event provider_error) once per group.
 */
export async function recordCollectFailure(prisma: Db, f: FailureInfo): Promise<void> {
  const b = await prisma.pointBinding.findUnique({
    where: { id: f.bindingId },
    select: {
      id: true,
      deviceRef: true,
      accountId: true,
      point: { select: { id: true, name: true, clientId: true } },
      account: { select: { kind: true, name: true } },
    },
  });
  if (!b) return;
  metrics.providerErrors.inc({ provider: b.account.kind, class: f.errorClass });
  const text = message(f.error);
  await prisma.pointBinding.update({
    where: { id: b.id },
    data: { lastError: text, lastErrorAt: f.now, lastErrorClass: f.errorClass },
  });
  await prisma.providerAccount.update({ where: { id: b.accountId }, data: { lastError: text, lastErrorAt: f.now } });
  const loud = f.final || f.errorClass === "permanent" || f.errorClass === "auth";
  getLogger().warn(
    {
      bindingId: b.id,
      kind: b.account.kind,
      errorClass: f.errorClass,
      final: f.final,
      code: AppError.is(f.error) ? f.error.code : null,
      msg: text,
    },
    "collect failed",
  );
  if (!loud || f.errorClass === "rate_limited") return;

  const groupKey = `provider_error:binding:${b.id}:${f.errorClass}`;
  // Concurrent failures of the same binding race here: the Redis claim makes the dedupe atomic.
  const claimed = await getRedis().set(`${queuePrefix()}:notify-once:${groupKey}`, "1", "PX", NOTIFY_EVERY_MS, "NX");
  if (claimed !== "OK") return;
  const recent = await prisma.notification.findFirst({
    where: { groupKey, createdAt: { gte: new Date(f.now.getTime() - NOTIFY_EVERY_MS) } },
    select: { id: true },
  });
  if (recent) return;
  await prisma.notification.create({
    data: {
      clientId: null,
      channel: "in_app",
      event: "provider_error",
      severity: f.errorClass === "transient" ? "warning" : "critical",
      title: `Error de recolección ${b.account.kind}: ${b.point.name}`,
      body: `${b.account.name} · dispositivo ${b.deviceRef}: ${text}`,
      groupKey,
      payload: {
        bindingId: b.id,
        pointId: b.point.id,
        clientId: b.point.clientId,
        accountId: b.accountId,
        kind: b.account.kind,
        errorClass: f.errorClass,
        error: text,
      },
    },
  });
}
