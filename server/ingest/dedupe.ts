import { createHash } from "node:crypto";
import { getRedis } from "@/server/redis";
import { queuePrefix } from "@/server/queues/connection";

/** A claim not confirmed within this time is released (the claimer crashed before storing). */
const PENDING_TTL_SEC = 120;
const key = (scope: string, hash: string) => `${queuePrefix()}:raw-seen:${scope}:${hash}`;

export const bodyHash = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

/**
 * Identical bodies (webhook retries, a re-read window that returns the same page) are stored and
 * processed once. claim → store + enqueue → confirm; a crash in between only delays the release.
 * Returns the raw id already stored for a duplicate, "pending" while another request holds it, or null when the caller owns it.
 */
export async function claimBody(scope: string, hash: string): Promise<string | null> {
  const redis = getRedis();
  const ok = await redis.set(key(scope, hash), "pending", "EX", PENDING_TTL_SEC, "NX");
  if (ok === "OK") return null;
  return (await redis.get(key(scope, hash))) ?? "pending";
}

export async function confirmBody(scope: string, hash: string, rawId: string, ttlSec: number): Promise<void> {
  await getRedis().set(key(scope, hash), rawId, "EX", ttlSec);
}

export async function releaseBody(scope: string, hash: string): Promise<void> {
  await getRedis().del(key(scope, hash));
}
