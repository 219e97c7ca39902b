import { spawn } from "node:child_process";
import { mkdtemp, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { AppError } from "@/domain/errors";
import { dropDatabase, ensureDatabase } from "./migrate";

/** libpq connection parameters; anything else in the URL (Prisma's `schema`, `connection_limit`…) makes pg_dump fail. */
const LIBPQ_PARAMS = new Set([
  "host",
  "hostaddr",
  "port",
  "passfile",
  "channel_binding",
  "connect_timeout",
  "client_encoding",
  "options",
  "application_name",
  "keepalives",
  "keepalives_idle",
  "keepalives_interval",
  "keepalives_count",
  "tcp_user_timeout",
  "sslmode",
  "sslcert",
  "sslkey",
  "sslpassword",
  "sslrootcert",
  "sslcrl",
  "sslcrldir",
  "sslsni",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
  "gssencmode",
  "krbsrvname",
  "target_session_attrs",
  "service",
]);

export interface PgToolsOptions {
  /** Directory holding pg_dump / pg_restore (PG_BIN_DIR); PATH when unset. */
  binDir?: string;
  log?: (line: string) => void;
}

/**
 * Runs `fn` with the URL for libpq: the password moves to a private, throw-away passfile (kept out of
 * `ps` and of the environment), and parameters libpq does not know are dropped.
 */
async function withLibpqUrl<T>(databaseUrl: string, fn: (dbname: string) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  for (const k of [...url.searchParams.keys()]) if (!LIBPQ_PARAMS.has(k)) url.searchParams.delete(k);
  const password = decodeURIComponent(url.password);
  if (!password) return fn(url.toString());
  url.password = "";
  const dir = await mkdtemp(path.join(tmpdir(), "smarthydro-pg-"));
  try {
    const passfile = path.join(dir, "pgpass");
    await writeFile(passfile, `*:*:*:*:${password.replace(/\\/g, "\\\\").replace(/:/g, "\\:")}\n`, { mode: 0o600 });
    url.searchParams.set("passfile", passfile);
    return await fn(url.toString());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const databaseName = (databaseUrl: string) => decodeURIComponent(new URL(databaseUrl).pathname.slice(1));

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const major = (version: string): number => Number(/(\d+)(?:\.\d+)?/.exec(version)?.[1] ?? NaN);

/** Resolves a PostgreSQL client tool and its major version, with an actionable error when it is missing. */
async function tool(
  name: "pg_dump" | "pg_restore",
  opts: PgToolsOptions,
): Promise<{ bin: string; version: string; major: number }> {
  const bin = opts.binDir ? path.join(opts.binDir, name) : name;
  const r = await run(bin, ["--version"]).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT" || e.code === "EACCES") {
      throw new AppError(
        "INTERNAL",
        `${name} not found (${opts.binDir ? `PG_BIN_DIR=${opts.binDir}` : "on PATH"}): install the PostgreSQL client tools of the server's major version or newer (Debian: apt-get install postgresql-client-15), or set PG_BIN_DIR to their directory`,
      );
    }
    throw e;
  });
  const version = /\(PostgreSQL\)\s+(\S+)/.exec(r.stdout)?.[1] ?? "";
  if (r.code !== 0 || !version)
    throw new AppError("INTERNAL", `${bin} --version failed: ${(r.stderr || r.stdout).trim()}`);
  return { bin, version, major: major(version) };
}

async function serverVersion(databaseUrl: string): Promise<string> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  } finally {
    await c.end();
  }
}

const tail = (s: string) => s.trim().split("\n").slice(-8).join("\n");

/**
 * pg_dump of the whole product database in custom format (-Fc): schema, every partition of the
 * time-series tables, report files and the migration history. Written to `<out>.partial` and renamed
 * when complete, so an interrupted run never leaves a file that looks like a backup.
 */
export async function backupDatabase(
  databaseUrl: string,
  out: string,
  opts: PgToolsOptions = {},
): Promise<{ file: string; sizeBytes: number; pgDump: string; server: string }> {
  const log = opts.log ?? (() => {});
  const dump = await tool("pg_dump", opts);
  const server = await serverVersion(databaseUrl);
  if (dump.major < major(server)) {
    throw new AppError(
      "CONFLICT",
      `pg_dump ${dump.version} is older than the server (PostgreSQL ${server}) and cannot dump it: install postgresql-client-${major(server)} or newer, or set PG_BIN_DIR`,
    );
  }
  const file = path.resolve(out);
  const partial = `${file}.partial`;
  log(`pg_dump ${dump.version} → ${file} (database ${databaseName(databaseUrl)}, PostgreSQL ${server})`);
  const r = await withLibpqUrl(databaseUrl, (dbname) =>
    run(dump.bin, ["--format=custom", "--no-owner", "--no-privileges", `--file=${partial}`, `--dbname=${dbname}`]),
  );
  if (r.code !== 0) {
    await rm(partial, { force: true });
    throw new AppError("INTERNAL", `pg_dump failed (exit ${r.code}):\n${tail(r.stderr)}`);
  }
  await rename(partial, file);
  return { file, sizeBytes: (await stat(file)).size, pgDump: dump.version, server };
}

async function assertCustomArchive(file: string): Promise<void> {
  const fh = await open(file, "r").catch(() => {
    throw new AppError("NOT_FOUND", `backup file not found: ${file}`);
  });
  try {
    const head = Buffer.alloc(5);
    await fh.read(head, 0, 5, 0);
    if (head.toString("latin1") !== "PGDMP")
      throw new AppError(
        "BAD_INPUT",
        `${file} is not a pg_dump custom-format archive (made with smarthydro backup or pg_dump -Fc)`,
      );
  } finally {
    await fh.close();
  }
}

/** Relations a restore could collide with (tables, views, sequences, types…) outside the system schemas. */
async function userRelations(databaseUrl: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`,
    );
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

/** Swaps `staging` in as `target` (both on one server): the old target is dropped, its sessions ended. */
async function replaceDatabase(stagingUrl: string, targetUrl: string): Promise<void> {
  const server = new URL(targetUrl);
  server.pathname = "/postgres";
  const quote = (u: string) => `"${decodeURIComponent(new URL(u).pathname.slice(1)).replace(/"/g, '""')}"`;
  await dropDatabase(targetUrl);
  const c = new pg.Client({ connectionString: server.toString() });
  await c.connect();
  try {
    await c.query(`ALTER DATABASE ${quote(stagingUrl)} RENAME TO ${quote(targetUrl)}`);
  } finally {
    await c.end();
  }
}

async function analyze(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    // pg_restore copies no planner statistics; without them the first queries on big tables plan badly.
    await c.query("ANALYZE");
  } finally {
    await c.end();
  }
}

/**
 * pg_restore of a custom-format backup into `databaseUrl`, created when missing, in one transaction (a
 * failed restore leaves nothing half-done). A target that already holds relations is refused unless
 * `force`: then the backup is restored into `<target>_restoring` and swapped in only once complete
 * (pg_restore --clean cannot drop the partitions' inherited constraints).
 */
export async function restoreDatabase(
  file: string,
  databaseUrl: string,
  opts: PgToolsOptions & { force?: boolean } = {},
): Promise<{ database: string; dumpedFrom: string; pgRestore: string; server: string; replaced: boolean }> {
  const log = opts.log ?? (() => {});
  await assertCustomArchive(file);
  const restore = await tool("pg_restore", opts);
  const list = await run(restore.bin, ["--list", file]);
  if (list.code !== 0) {
    throw new AppError(
      "CONFLICT",
      `pg_restore ${restore.version} cannot read ${file} (a newer pg_dump made it, or it is damaged): ${tail(list.stderr)}\nInstall a newer postgresql-client or set PG_BIN_DIR.`,
    );
  }
  const dumpedFrom = /Dumped from database version:\s*(\S+)/.exec(list.stdout)?.[1] ?? "?";
  const database = databaseName(databaseUrl);
  await ensureDatabase(databaseUrl);
  const server = await serverVersion(databaseUrl);
  if (major(server) < major(dumpedFrom)) {
    throw new AppError(
      "CONFLICT",
      `the backup comes from PostgreSQL ${dumpedFrom} and the target runs ${server}: restore into PostgreSQL ${major(dumpedFrom)} or newer`,
    );
  }
  const existing = await userRelations(databaseUrl);
  if (existing > 0 && !opts.force) {
    throw new AppError(
      "CONFLICT",
      `database ${database} is not empty (${existing} relations): restore into a new database (--into) or pass --force to replace it`,
    );
  }
  const replaced = existing > 0;
  const into = new URL(databaseUrl);
  if (replaced) into.pathname = `/${encodeURIComponent(`${database}_restoring`)}`;
  const staging = into.toString();
  if (replaced) {
    await dropDatabase(staging);
    await ensureDatabase(staging);
  }
  log(
    `pg_restore ${restore.version}: ${file} (from PostgreSQL ${dumpedFrom}) → database ${databaseName(staging)} (PostgreSQL ${server})`,
  );
  const r = await withLibpqUrl(staging, (dbname) =>
    run(restore.bin, [
      "--no-owner",
      "--no-privileges",
      "--exit-on-error",
      "--single-transaction",
      `--dbname=${dbname}`,
      file,
    ]),
  );
  if (r.code !== 0) {
    if (replaced) await dropDatabase(staging);
    throw new AppError(
      "INTERNAL",
      `pg_restore failed (exit ${r.code}); database ${database} was left unchanged:\n${tail(r.stderr)}`,
    );
  }
  if (replaced) {
    log(`replacing database ${database} with the restored copy`);
    await replaceDatabase(staging, databaseUrl);
  }
  await analyze(databaseUrl);
  return { database, dumpedFrom, pgRestore: restore.version, server, replaced };
}
