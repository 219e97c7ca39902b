import { closeDb, getDb } from "@/server/db";
import { closePgPool, getPgPool } from "@/server/pg";
import { closeRedis } from "@/server/redis";

/** Empties every business and time-series table of the run's database (between test files). */
export async function truncateAll(): Promise<void> {
  const pool = getPgPool();
  const { rows } = await pool.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND tablename NOT LIKE '%\\_20%'`,
  );
  if (rows.length)
    await pool.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}

export async function closeAll(): Promise<void> {
  await closeDb();
  await closePgPool();
  await closeRedis();
}

export { getDb };
