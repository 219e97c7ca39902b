/** Runs one benchmark script against a fresh, migrated database that is dropped afterwards. */
import { spawnSync } from "node:child_process";
import { dropDatabase, ensureDatabase, migrate } from "@/server/db/migrate";

const [dbUrl, script, ...rest] = process.argv.slice(2);
if (!dbUrl || !script) throw new Error("usage: with-db <databaseUrl> <script> [args]");
await ensureDatabase(dbUrl);
await migrate(dbUrl);
const r = spawnSync("npx", ["tsx", script, ...rest], {
  env: { ...process.env, DATABASE_URL: dbUrl },
  stdio: "inherit",
});
await dropDatabase(dbUrl);
process.exit(r.status ?? 1);
