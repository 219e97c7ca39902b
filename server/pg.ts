import pg from "pg";
import { env } from "./env";

const g = globalThis as unknown as { __pgPool?: pg.Pool };

/** Raw `pg` pool for the time-series path (COPY, multi-row upserts, SQL reads). */
export function getPgPool(): pg.Pool {
  if (!g.__pgPool) {
    // JIT compiles expressions for plans the planner thinks costly; on our short reads it added up to 1.9 s
    // of compile time to a 4 s report query and nothing on the way back (docs/PERFORMANCE.md, analytics).
    g.__pgPool = new pg.Pool({ connectionString: env().DATABASE_URL, max: env().PG_POOL_MAX, options: "-c jit=off" });
    g.__pgPool.on("error", () => {}); // idle-client errors surface on the next query; don't crash the process
    // pg-pool drops its listener while a client is checked out: a socket dying then (server restart) would crash the process.
    g.__pgPool.on("connect", (client) => client.on("error", () => {}));
  }
  return g.__pgPool;
}

export async function closePgPool(): Promise<void> {
  await g.__pgPool?.end();
  g.__pgPool = undefined;
}

/**
 * Runs `fn` inside BEGIN … COMMIT on one pooled client; any throw rolls back (a failed ROLLBACK is ignored:
 * the client is then broken and released anyway) and is rethrown. The client is always released.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    const result = await fn(tx);
    await tx.query("COMMIT");
    return result;
  } catch (e) {
    await tx.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    tx.release();
  }
}
