import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * prisma/migrations next to the code: two levels up from server/db/ in a checkout, or from the
 * bundle's folder upwards in a build (dist/app/chunks/ in the image, with /app/prisma beside it).
 */
function migrationsDir(): string {
  for (let dir = import.meta.dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, "prisma/migrations");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`prisma/migrations not found above ${import.meta.dirname}`);
}

/**
 * Offline stand-in for `prisma migrate deploy` (Prisma's native schema engine cannot be downloaded
 * here). Applies prisma/migrations/<name>/migration.sql in order, one transaction each, under an
 * advisory lock, recording rows in Prisma's own `_prisma_migrations` table with Prisma's checksum,
 * so the real `prisma migrate deploy` can take over wherever the engine is reachable.
 */
export async function migrate(
  databaseUrl: string,
  opts: { dir?: string; log?: (msg: string) => void } = {},
): Promise<number> {
  const dir = opts.dir ?? migrationsDir();
  const log = opts.log ?? (() => {});
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query("SELECT pg_advisory_lock(72707369)");
    await c.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await c.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    let applied = 0;
    for (const name of names) {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const sum = createHash("sha256").update(sql).digest("hex");
      if (done.has(name)) {
        if (done.get(name) !== sum) throw new Error(`migration ${name} was changed after it was applied`);
        continue;
      }
      await c.query("BEGIN");
      try {
        await c.query(sql);
        await c.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1,$2,now(),$3,1)`,
          [randomUUID(), sum, name],
        );
        await c.query("COMMIT");
      } catch (e) {
        await c.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      applied++;
      log(`applied ${name}`);
    }
    return applied;
  } finally {
    await c.query("SELECT pg_advisory_unlock(72707369)").catch(() => {});
    await c.end();
  }
}

/** Runs `fn` on a connection to the server's `postgres` database, with the (unquoted) name of the URL's database. */
async function withServer(
  databaseUrl: string,
  fn: (c: pg.Client, name: string, quoted: string) => Promise<unknown>,
): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await fn(c, name, `"${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}

/** Drops the database named in the URL, disconnecting whatever still uses it (tests and benchmarks). */
export function dropDatabase(databaseUrl: string): Promise<void> {
  return withServer(databaseUrl, (c, _name, quoted) => c.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`));
}

/** Creates the database named in the URL when it does not exist yet. */
export function ensureDatabase(databaseUrl: string): Promise<void> {
  return withServer(databaseUrl, async (c, name, quoted) => {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE ${quoted}`);
  });
}
