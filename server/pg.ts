import pg from "pg";
import { env } from "./env";

const g = globalThis as unknown as { __pgPool?: pg.Pool };

/** Raw `pg` pool for the time-series path (COPY, multi-row upserts, SQL reads). */
export function getPgPool(): pg.Pool {
  if (!g.__pgPool) {
    g.__pgPool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10 });
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
