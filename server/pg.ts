import pg from "pg";
import { env } from "./env";

const g = globalThis as unknown as { __pgPool?: pg.Pool };

/** Raw `pg` pool for the time-series path (COPY, multi-row upserts, SQL reads). */
export function getPgPool(): pg.Pool {
  if (!g.__pgPool) {
    g.__pgPool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10 });
    g.__pgPool.on("error", () => {}); // idle-client errors surface on the next query; don't crash the process
  }
  return g.__pgPool;
}

export async function closePgPool(): Promise<void> {
  await g.__pgPool?.end();
  g.__pgPool = undefined;
}
