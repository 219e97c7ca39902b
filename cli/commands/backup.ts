import { env } from "@/server/env";
import { backupDatabase, restoreDatabase } from "@/server/db/backup";
import { UsageError, parse, required, type Command } from "../lib";

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const secondsSince = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

function databaseUrlArg(value: string, flag: string): string {
  try {
    const u = new URL(value);
    if (!/^postgres(ql)?:$/.test(u.protocol) || u.pathname.length < 2) throw new Error();
    return value;
  } catch {
    throw new UsageError(`--${flag} must be a postgresql://user@host:port/database URL`);
  }
}

export const backupCommand: Command = {
  name: "backup",
  summary: "pg_dump the product database (custom format) to a file",
  help: `Usage: smarthydro backup [--out <file>]

Dumps DATABASE_URL with pg_dump in custom format (-Fc): schema, migrations, every partition of the
measurement and raw_payload tables, DGA slots and receipts, report files. Default file:
smarthydro-<database>-<UTC timestamp>.dump in the current directory. Needs pg_dump of the server's
major version or newer on PATH (or in PG_BIN_DIR). Restore it with smarthydro restore.`,
  async run(argv) {
    const { values } = parse(argv, { out: { type: "string" } });
    const url = env().DATABASE_URL;
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const out = values.out ?? `smarthydro-${decodeURIComponent(new URL(url).pathname.slice(1))}-${stamp}.dump`;
    const t0 = performance.now();
    const r = await backupDatabase(url, out, { binDir: env().PG_BIN_DIR, log: (m) => console.log(m) });
    console.log(`backup written: ${r.file} (${mib(r.sizeBytes)}) in ${secondsSince(t0)}`);
  },
};

export const restoreCommand: Command = {
  name: "restore",
  summary: "pg_restore a backup into a fresh database",
  help: `Usage: smarthydro restore --file <backup.dump> [--into <postgresql://…/database>] [--force]

Restores a smarthydro backup (pg_dump custom format) into --into (default DATABASE_URL), creating the
database when it does not exist. A database that already holds tables is refused unless --force, which
restores into <database>_restoring first and swaps it in when complete (the old database is
dropped). Runs in one transaction, then ANALYZE.
Afterwards run smarthydro migrate against the restored database if this build has newer migrations.`,
  async run(argv) {
    const { values } = parse(argv, { file: { type: "string" }, into: { type: "string" }, force: { type: "boolean" } });
    const file = required(values.file, "file");
    const into = values.into === undefined ? env().DATABASE_URL : databaseUrlArg(values.into, "into");
    const t0 = performance.now();
    const r = await restoreDatabase(file, into, {
      force: values.force === true,
      binDir: env().PG_BIN_DIR,
      log: (m) => console.log(m),
    });
    console.log(`restored into ${r.database}${r.replaced ? " (replaced)" : ""} in ${secondsSince(t0)}`);
  },
};
