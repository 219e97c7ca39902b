import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

const g = globalThis as unknown as { __redis?: Redis };

/** Options BullMQ needs (no per-command retry limit, so blocking commands survive reconnects). */
const BULLMQ_REDIS_OPTIONS: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };

export function createRedis(opts: RedisOptions = {}): Redis {
  const r = new Redis(env().REDIS_URL, { ...BULLMQ_REDIS_OPTIONS, ...opts });
  // ioredis reconnects by itself; without a listener an outage also prints "Unhandled error event".
  r.on("error", () => {});
  return r;
}

/** Shared connection for commands (rate limits, realtime cache). Not for BullMQ workers. */
export function getRedis(): Redis {
  g.__redis ??= createRedis({ maxRetriesPerRequest: 2, lazyConnect: false });
  return g.__redis;
}

/** Deletes every key starting with `prefix` (a test or benchmark run's REDIS_NAMESPACE). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}

export async function closeRedis(): Promise<void> {
  await g.__redis?.quit().catch(() => {});
  g.__redis = undefined;
}
