import type pg from "pg";

const PARTITIONED_TABLES = ["measurement", "raw_payload"] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

const known = new Set<string>();
const monthKey = (d: Date): string => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
const monthStart = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
export const addMonths = (d: Date, n: number): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

/**
 * Makes sure the monthly partitions holding `instants` exist (cached per process). Runs outside the
 * caller's transaction: creating a partition takes a lock on the parent that should not be held for a batch.
 */
export async function ensureMonthPartitions(
  pool: pg.Pool,
  parent: PartitionedTable,
  instants: Iterable<Date>,
): Promise<string[]> {
  const missing = new Map<string, Date>();
  for (const t of instants) {
    const k = `${parent}_${monthKey(t)}`;
    if (!known.has(k) && !missing.has(k)) missing.set(k, monthStart(t));
  }
  const created: string[] = [];
  for (const [k, month] of missing) {
    try {
      await pool.query("SELECT ensure_month_partition($1, $2)", [parent, month]);
    } catch (e) {
      // ensure_month_partition races with a concurrent creator (its to_regclass re-check after the advisory
      // lock can miss a table committed meanwhile): "already exists" means the partition is there.
      if ((e as { code?: string }).code !== "42P07") throw e;
    }
    known.add(k);
    created.push(k);
  }
  return created;
}

/** Creates this month's partition and the next `aheadMonths` for every partitioned table. */
export async function createPartitionsAhead(pool: pg.Pool, now: Date, aheadMonths: number): Promise<string[]> {
  const months = Array.from({ length: aheadMonths + 1 }, (_, i) => addMonths(now, i));
  const out: string[] = [];
  for (const t of PARTITIONED_TABLES) out.push(...(await ensureMonthPartitions(pool, t, months)));
  return out;
}

/** Drops whole monthly partitions of `parent` that end on or before `before` (retention); returns their names. */
export async function dropPartitionsBefore(pool: pg.Pool, parent: PartitionedTable, before: Date): Promise<string[]> {
  const r = await pool.query<{ name: string }>("SELECT drop_month_partitions_before($1, $2) AS name", [parent, before]);
  for (const row of r.rows) known.delete(row.name);
  return r.rows.map((x) => x.name);
}
