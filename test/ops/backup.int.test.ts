import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/generated/prisma/client";
import { dropDatabase, ensureDatabase, migrate } from "@/server/db/migrate";
import { insertMeasurements, type SeedRow } from "@/server/analytics/test-seed";
import { createFixture } from "@/test/fixture";

/** A database next to this run's one (dropped in afterAll): the backup's source and the restore target. */
function siblingUrl(suffix: string): string {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `${u.pathname}_${suffix}`;
  return u.toString();
}
const SOURCE = siblingUrl("bk_src");
const TARGET = siblingUrl("bk_dst");
const H = 3600_000;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["bin/smarthydro.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, SMARTHYDRO_DOTENV: "0", DATABASE_URL: SOURCE, ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
let source: pg.Pool;
let target: pg.Pool;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sh-backup-"));
  await ensureDatabase(SOURCE);
  await migrate(SOURCE);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: SOURCE, max: 2 }) });
  source = new pg.Pool({ connectionString: SOURCE, max: 2 });
  try {
    const f = await createFixture(db);
    // Readings in two monthly partitions and in the default one (a month whose partition does not exist yet).
    await source.query("SELECT ensure_month_partition('measurement', $1), ensure_month_partition('measurement', $2)", [
      "2026-10-15T00:00:00Z",
      "2026-11-15T00:00:00Z",
    ]);
    const rows: SeedRow[] = [];
    const start = Date.UTC(2026, 9, 20);
    for (let i = 0; i < 24 * 50; i++) {
      const ts = new Date(start + i * H);
      rows.push(
        { pointId: f.a.point.id, variable: "flow", ts, value: 10 + (i % 7) / 3 },
        {
          pointId: f.b.point.id,
          variable: "totalizer",
          ts,
          value: 5_000 + i * 12.5,
          quality: i % 97 === 0 ? "spike" : "ok",
        },
      );
    }
    await insertMeasurements(source, rows);
    for (let h = 0; h < 6; h++) {
      const slotAt = new Date(Date.UTC(2026, 10, 2, h));
      const sent = h < 4;
      const slot = await db.dgaSlot.create({
        data: {
          pointId: f.a.point.id,
          slotAt,
          standard: "mayor",
          state: sent ? "sent" : "failed",
          flowLps: 10 + h,
          totalizerM3: 5_000 + h,
          reasons: [],
          receipt: sent ? `RCPT-${h}` : null,
          attempts: sent ? 1 : 3,
          sentAt: sent ? new Date(slotAt.getTime() + 60_000) : null,
        },
      });
      await db.dgaAttempt.create({
        data: {
          slotId: slot.id,
          startedAt: slotAt,
          durationMs: 120,
          url: "https://apimee.mop.gob.cl/api/v1/mediciones/subterraneas",
          request: { codigoObra: "OB-0602-7", hora: h },
          httpStatus: sent ? 200 : 503,
          outcome: sent ? "sent" : "unavailable",
          receipt: sent ? `RCPT-${h}` : null,
          worker: "dga-1",
        },
      });
    }
    const report = await db.reportJob.create({
      data: {
        clientId: f.clientA.id,
        kind: "monthly",
        format: "pdf",
        params: { month: "2026-10" },
        status: "done",
        fileName: "informe.pdf",
      },
    });
    await db.reportFile.create({
      data: {
        reportId: report.id,
        content: new Uint8Array(Buffer.from("%PDF-1.4 report bytes \u0000\u00ff")),
        sizeBytes: 25,
      },
    });
  } finally {
    await db.$disconnect();
  }
});

afterAll(async () => {
  await source?.end();
  await target?.end().catch(() => {});
  await dropDatabase(SOURCE);
  await dropDatabase(TARGET);
  await rm(dir, { recursive: true, force: true });
});

/** Everything the drill must find again, as comparable rows. */
async function snapshot(pool: pg.Pool) {
  const q = async (sql: string) => (await pool.query(sql)).rows;
  return {
    points: await q(`SELECT id, client_id, name, obra_code, granted_flow_lps FROM capture_point ORDER BY id`),
    readingsPerPartition: await q(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM measurement GROUP BY 1 ORDER BY 1`,
    ),
    readingsDigest: await q(
      `SELECT md5(string_agg(concat_ws('|', point_id, variable, ts, value, quality, reason, source), ',' ORDER BY point_id, variable, ts)) AS d FROM measurement`,
    ),
    partitions: await q(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'measurement'::regclass ORDER BY 1`,
    ),
    slots: await q(
      `SELECT id, point_id, slot_at, state, flow_lps, totalizer_m3, receipt, attempts, sent_at FROM dga_slot ORDER BY id`,
    ),
    attempts: await q(
      `SELECT id, slot_id, started_at, http_status, outcome, receipt, request FROM dga_attempt ORDER BY id`,
    ),
    reportFiles: await q(`SELECT report_id, md5(content) AS md5, size_bytes FROM report_file ORDER BY report_id`),
    migrations: await q(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`),
    sequences: await q(`SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`),
  };
}

describe("smarthydro backup / restore", () => {
  it("restores a backup into a fresh database with points, readings (every partition), DGA slots and receipts", async () => {
    const file = path.join(dir, "drill.dump");
    // A password (handed to pg_dump in a passfile; the local server trusts us anyway) and Prisma-only parameters.
    const withExtras = new URL(SOURCE);
    withExtras.password = "pa:ss\\word";
    withExtras.search = "?schema=public&connection_limit=3";
    const b = cli(["backup", "--out", file], { DATABASE_URL: withExtras.toString() });
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/backup written: .*drill\.dump \(\d+\.\d MiB\)/);
    expect((await readFile(file)).subarray(0, 5).toString("latin1")).toBe("PGDMP");

    const r = cli(["restore", "--file", file, "--into", TARGET]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`restored into ${new URL(TARGET).pathname.slice(1)}`);

    target = new pg.Pool({ connectionString: TARGET, max: 2 });
    const before = await snapshot(source);
    const after = await snapshot(target);
    expect(before.points).toHaveLength(2);
    expect(before.readingsPerPartition.map((p) => p.part)).toEqual([
      "measurement_202610",
      "measurement_202611",
      "measurement_default",
    ]);
    expect(before.slots.filter((s) => s.receipt)).toHaveLength(4);
    expect(before.attempts).toHaveLength(6);
    expect(after).toEqual(before);
    const { rows } = await target.query(
      `SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1`,
    );
    expect(rows.map((x) => x.relname)).toEqual(expect.arrayContaining(["measurement", "raw_payload"]));
    // The restored database keeps working: the partition function and sequences came along.
    await target.query("SELECT ensure_month_partition('measurement', '2026-12-15T00:00:00Z')");
    expect((await target.query(`SELECT count(*)::int AS n FROM measurement_202612`)).rows[0].n).toBe(
      (await source.query(`SELECT count(*)::int AS n FROM measurement WHERE ts >= '2026-12-01'`)).rows[0].n,
    );
    const next = await target.query(
      `INSERT INTO dga_attempt (slot_id, started_at, duration_ms, url, request, outcome) SELECT id, now(), 1, 'x', '{}', 'sent' FROM dga_slot LIMIT 1 RETURNING id`,
    );
    expect(Number(next.rows[0].id)).toBeGreaterThan(Math.max(...before.attempts.map((a) => Number(a.id))));

    // A target that is no longer empty is refused, unless --force replaces it.
    const again = cli(["restore", "--file", file, "--into", TARGET]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is not empty \(\d+ relations\).*--force/);
    expect((await target.query("SELECT count(*)::int AS n FROM dga_attempt")).rows[0].n).toBe(7);
    await target.end();
    const forced = cli(["restore", "--file", file, "--into", TARGET, "--force"]);
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toContain("(replaced)");
    target = new pg.Pool({ connectionString: TARGET, max: 2 });
    expect(await snapshot(target)).toEqual(before);
  }, 240_000);

  it("explains a missing or too old pg_dump and a file that is not a backup", async () => {
    const missing = cli(["backup", "--out", path.join(dir, "x.dump")], { PG_BIN_DIR: path.join(dir, "no-such-dir") });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("pg_dump not found");

    const old = path.join(dir, "old-bin");
    await mkdir(old);
    await writeFile(path.join(old, "pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    await chmod(path.join(old, "pg_dump"), 0o755);
    const tooOld = cli(["backup", "--out", path.join(dir, "x.dump")], { PG_BIN_DIR: old });
    expect(tooOld.code).toBe(1);
    expect(tooOld.err).toMatch(/pg_dump 9\.6\.24 is older than the server \(PostgreSQL 1\d/);

    const notDump = path.join(dir, "notes.txt");
    await writeFile(notDump, "hello");
    const bad = cli(["restore", "--file", notDump, "--into", siblingUrl("bk_never")]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("is not a pg_dump custom-format archive");
    expect(cli(["restore"]).code).toBe(2);
    expect(cli(["restore", "--file", notDump, "--into", "mysql://x/y"]).code).toBe(2);
  }, 120_000);
});
