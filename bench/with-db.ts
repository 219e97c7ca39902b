/** Runs one benchmark script against a fresh, migrated database that is dropped afterwards. */
import { spawnSync } from "node:child_process";
import pg from "pg";
import { ensureDatabase, migrate } from "@/server/db/migrate";

const [dbUrl, script, ...rest] = process.argv.slice(2);
if (!dbUrl || !script) throw new Error("usage: with-db <databaseUrl> <script> [args]");
await ensureDatabase(dbUrl);
await migrate(dbUrl);
const r = spawnSync("npx", ["tsx", script, ...rest], { env: { ...process.env, DATABASE_URL: dbUrl }, stdio: "inherit" });
const name = new URL(dbUrl).pathname.slice(1);
const admin = new pg.Client({ connectionString: Object.assign(new URL(dbUrl), { pathname: "/postgres" }).toString() });
await admin.connect();
await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
await admin.end();
process.exit(r.status ?? 1);
