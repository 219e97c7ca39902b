import { afterAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeAll } from "@/test/db";

afterAll(closeAll);

describe("monthly partitions", () => {
  it("creating the same month from many sessions at once never fails", async () => {
    const pool = getPgPool();
    const month = "2031-03-15T00:00:00Z";
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => pool.query("SELECT ensure_month_partition('measurement', $1)", [month])),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const { rows } = await pool.query("SELECT to_regclass('measurement_203103') IS NOT NULL AS ok");
    expect(rows[0].ok).toBe(true);
  });

  it("inserts racing the creation of their month never fail and all end up in the month's partition", async () => {
    const pool = getPgPool();
    for (let k = 0; k < 6; k++) {
      const month = new Date(Date.UTC(2034, k, 1));
      let stop = false;
      let n = 0;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        while (!stop) {
          const ts = new Date(month.getTime() + (w * 100_000 + n++) * 1000);
          await pool.query(
            `INSERT INTO measurement (point_id, variable, ts, value, source) VALUES (998, 1, $1, 1, 'race')`,
            [ts],
          );
        }
      });
      await new Promise((r) => setTimeout(r, 30));
      await pool.query("SELECT ensure_month_partition('measurement', $1)", [month]);
      await new Promise((r) => setTimeout(r, 30));
      stop = true;
      await Promise.all(writers);
    }
    const { rows } = await pool.query(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM measurement WHERE point_id = 998 GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.map((r) => r.part)).toEqual([
      "measurement_203401",
      "measurement_203402",
      "measurement_203403",
      "measurement_203404",
      "measurement_203405",
      "measurement_203406",
    ]);
  });

  it("rows that landed in the default partition move into the month when it is created", async () => {
    const pool = getPgPool();
    await pool.query(
      `INSERT INTO measurement (point_id, variable, ts, value, source) VALUES (999, 1, '2032-07-04T10:00:00Z', 5, 'test')`,
    );
    await pool.query("SELECT ensure_month_partition('measurement', '2032-07-01T00:00:00Z')");
    const { rows } = await pool.query(
      `SELECT tableoid::regclass::text AS part, value FROM measurement WHERE point_id = 999`,
    );
    expect(rows).toEqual([{ part: "measurement_203207", value: 5 }]);
  });
});
