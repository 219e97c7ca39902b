import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabase, migrate } from "../server/db/migrate";
import { deleteKeysWithPrefix } from "../server/redis";

/**
 * Integration tests run against the machine's real PostgreSQL and Redis: a fresh database per run
 * (dropped afterwards) and a Redis key prefix per run (deleted afterwards).
 */
const PG_ADMIN = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const dbName = `smarthydro_test_${runId}`;
  const url = new URL(PG_ADMIN);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);

  const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const queuePrefix = `shtest-${runId}`;
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_NAMESPACE: queuePrefix,
    AUTH_SECRET: process.env.AUTH_SECRET ?? "test-auth-secret-0123456789abcdef0123456789",
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("hex"),
    NODE_ENV: "test",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  });
  // Test workers are forked after this runs and inherit process.env.
  void project;

  return async () => {
    await dropDatabase(databaseUrl);
    const redis = new Redis(redisUrl, { lazyConnect: true });
    await redis.connect();
    await deleteKeysWithPrefix(redis, queuePrefix);
    await redis.quit();
  };
}
