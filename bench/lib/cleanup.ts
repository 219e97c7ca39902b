import type { Redis } from "ioredis";
import pg from "pg";

/** Deletes every Redis key of a benchmark run (its queue prefix). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}

/** Drops a benchmark's database, disconnecting whatever still uses it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const a = new pg.Client({ connectionString: adminUrl });
  await a.connect();
  try {
    await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await a.end();
  }
}
