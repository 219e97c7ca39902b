/** Loading and timing helpers of the analytics benchmark (bench/analytics.ts). */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

const H = 3600_000;

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
export const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

export async function seedPoints(
  pool: pg.Pool,
  P: { points: number; minutePoints: number; reportPoints: number },
): Promise<{ reportClient: number; hourly: number[]; minute: number[] }> {
  const mk = async (name: string, rut: string) => {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO client (name, rut, updated_at) VALUES ($1, $2, now()) RETURNING id`,
      [name, rut],
    );
    await pool.query(
      `INSERT INTO client_module (client_id, module) SELECT $1, m::"ModuleKey" FROM unnest('{telemetry,reports,alerts,dga}'::text[]) m`,
      [rows[0]!.id],
    );
    return rows[0]!.id;
  };
  const big = await mk("Minera Bench Grande", "76000000-0");
  const rest = await mk("Agrícola Bench", "76000001-9");
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO capture_point (client_id, name, kind, granted_flow_lps, annual_volume_m3, expected_interval_min, updated_at)
     SELECT CASE WHEN g < $2::int THEN $1::int ELSE $3::int END, 'Pozo ' || lpad(g::text, 4, '0'), 'groundwater', 30, 700000, 60, now() FROM generate_series(0, $4::int - 1) g ORDER BY g RETURNING id`,
    [big, P.reportPoints, rest, P.points + P.minutePoints],
  );
  const ids = rows.map((r) => r.id);
  return { reportClient: big, hourly: ids.slice(0, P.points), minute: ids.slice(P.points) };
}

/** Deterministic daily-cycle series: pump 20–26 L/s by day, ~2 L/s at night; totalizer integrates it. */
export function* lines(
  pointIds: number[],
  start: number,
  steps: number,
  stepMs: number,
  withLevel: boolean,
): Generator<string> {
  for (const id of pointIds) {
    let tot = 1000 + id * 10;
    let chunk = "";
    for (let i = 0; i < steps; i++) {
      const t = start + i * stepMs;
      const hour = new Date(t - 4 * H).getUTCHours();
      const flow = hour >= 8 && hour < 20 ? 23 + 3 * Math.sin(i * 0.37 + id) : 2 + 0.2 * Math.sin(i + id);
      tot += (flow * stepMs) / 1000 / 1000;
      const ts = new Date(t).toISOString();
      chunk += `${id}\t1\t${ts}\t${flow.toFixed(3)}\t0\tbench\n${id}\t2\t${ts}\t${tot.toFixed(3)}\t0\tbench\n`;
      if (withLevel) chunk += `${id}\t3\t${ts}\t${(30 + Math.sin(i / 24) + id / 1000).toFixed(3)}\t0\tbench\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
}

export async function copyRows(pool: pg.Pool, gen: Generator<string>): Promise<void> {
  const c = await pool.connect();
  try {
    await pipeline(
      Readable.from(gen),
      c.query(copyFrom("COPY measurement (point_id, variable, ts, value, quality, source) FROM STDIN")),
    );
  } finally {
    c.release();
  }
}

export async function concurrent(n: number, conc: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < n) {
        const i = next++;
        const [, t] = await timed(() => task(i));
        lat.push(t);
      }
    }),
  );
  return lat;
}
