import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

async function timed(
  fn: () => Promise<unknown>,
  timeoutMs: number,
): Promise<{ ok: boolean; ms: number; error?: string }> {
  const t0 = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), timeoutMs))]);
    return { ok: true, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, ms: Math.round(performance.now() - t0), error: (e as Error).message };
  }
}

const g = globalThis as unknown as { __draining?: boolean };
/** Set on SIGTERM so readiness fails before the process stops taking work. */
export function markDraining(): void {
  g.__draining = true;
}

export async function readiness(): Promise<HealthReport> {
  const [database, redis] = await Promise.all([
    timed(() => getPgPool().query("SELECT 1"), 2000),
    timed(() => getRedis().ping(), 2000),
  ]);
  const checks = { database, redis, accepting: { ok: !g.__draining, ms: 0 } };
  return { status: Object.values(checks).every((c) => c.ok) ? "ok" : "degraded", checks };
}
