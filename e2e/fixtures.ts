import pg from "pg";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { evaluateRules } from "@/domain/anomalies/rules";

/**
 * Telemetry, anomalies and DGA slots for the browser journeys. The e2e run starts only the web app
 * (no collectors or processors), so the tests write what those workers would have written.
 * Idempotent per database: safe if several test files call it.
 */
export interface Fixtures {
  agricolaPoints: { id: number; name: string }[];
  mineraPoint: { id: number; name: string };
  clientIds: { agricola: number; minera: number };
}

let cached: Promise<Fixtures> | null = null;

export function seedFixtures(): Promise<Fixtures> {
  cached ??= run();
  return cached;
}

async function run(): Promise<Fixtures> {
  const pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2 });
  try {
    const clients = (await pool.query<{ id: number; rut: string }>(`SELECT id, rut FROM client ORDER BY id`)).rows;
    const agricola = clients.find((c) => c.rut === "76455593-7")!.id;
    const minera = clients.find((c) => c.rut === "76944359-2")!.id;
    const pts = (cid: number) =>
      pool.query<{ id: number; name: string }>(
        `SELECT id, name FROM capture_point WHERE client_id = $1 ORDER BY id LIMIT 3`,
        [cid],
      );
    const agricolaPoints = (await pts(agricola)).rows;
    const mineraPoint = (await pts(minera)).rows[0]!;
    const already = await pool.query(`SELECT 1 FROM measurement WHERE source = 'e2e' LIMIT 1`);
    if (already.rowCount) return { agricolaPoints, mineraPoint, clientIds: { agricola, minera } };

    const now = Date.now();
    const step = 15 * 60_000;
    const end = Math.floor((now - 4 * 60_000) / 60_000) * 60_000;
    const start = end - 48 * 3_600_000;
    const rows: unknown[][] = [];
    for (const [n, p] of [...agricolaPoints, mineraPoint].entries()) {
      let total = 125_000 + n * 10_000;
      // The third Agrícola point stops reporting 5 h ago (offline); the others are current.
      const last = n === 2 ? end - 5 * 3_600_000 : end;
      for (let t = start, i = 0; t <= last; t += step, i++) {
        const flow = 18 + 6 * Math.sin(i / 12 + n) + (n === 1 && i % 40 === 17 ? 30 : 0);
        const quality = n === 1 && i % 40 === 17 ? 4 : i % 57 === 30 ? 1 : 0;
        total += (flow * step) / 1000 / 1000;
        const ts = new Date(t).toISOString();
        rows.push(
          [p.id, 1, ts, Math.round(flow * 100) / 100, quality],
          [p.id, 2, ts, Math.round(total * 10) / 10, 0],
          [p.id, 3, ts, Math.round((32 + 1.5 * Math.cos(i / 20)) * 100) / 100, 0],
        );
      }
    }
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      const values = chunk
        .map(
          (_, j) =>
            `($${j * 5 + 1}::int, $${j * 5 + 2}::smallint, $${j * 5 + 3}::timestamptz, $${j * 5 + 4}::float8, $${j * 5 + 5}::smallint, 'e2e')`,
        )
        .join(",");
      await pool.query(
        `INSERT INTO measurement (point_id, variable, ts, value, quality, source) VALUES ${values} ON CONFLICT DO NOTHING`,
        chunk.flat(),
      );
    }
    await rebuildRollups(
      pool,
      [...agricolaPoints, mineraPoint].map((p) => p.id),
      new Date(start - 3_600_000),
      new Date(end + 3_600_000),
    );

    const a = agricolaPoints[0]!;
    const b = agricolaPoints[1]!;
    const anomaly = `INSERT INTO anomaly (client_id, point_id, type, severity, state, reason, dedupe_key, started_at, last_seen_at) VALUES ($1, $2, $3, $4::"Severity", 'open', $5, $6, $7, $7) ON CONFLICT DO NOTHING`;
    await pool.query(anomaly, [
      agricola,
      b.id,
      "spike",
      "warning",
      "Pico de caudal de 48 L/s",
      `e2e-spike-${b.id}`,
      new Date(now - 3 * 3_600_000),
    ]);
    await pool.query(anomaly, [
      agricola,
      a.id,
      "flow_above_granted",
      "critical",
      "Caudal sobre lo otorgado durante 2 h",
      `e2e-flow-${a.id}`,
      new Date(now - 2 * 3_600_000),
    ]);
    await pool.query(anomaly, [
      minera,
      mineraPoint.id,
      "point_offline",
      "warning",
      "Sin datos por más de 3 h",
      `e2e-off-${mineraPoint.id}`,
      new Date(now - 4 * 3_600_000),
    ]);

    // Alert texts exactly as the processor words them (domain rules), so the pages show what users read.
    const c = agricolaPoints[2]!;
    const at = (min: number, value: number, quality: "ok" | "spike" = "ok") => ({
      ts: new Date(now - 6 * 3_600_000 + min * 60_000),
      value,
      rawValue: String(value),
      quality,
      reason: null,
      isNew: true,
    });
    const generated = [
      ...evaluateRules({
        clientId: agricola,
        pointId: c.id,
        variable: "flow",
        grantedFlowLps: 25,
        rows: [at(0, -0.28), at(15, 1.5)],
      }),
      ...evaluateRules({
        clientId: agricola,
        pointId: c.id,
        variable: "water_table",
        grantedFlowLps: null,
        rows: [at(0, 31.5, "spike"), at(15, 44.25, "spike")],
      }),
    ];
    for (const g of generated)
      await pool.query(anomaly, [agricola, c.id, g.type, g.severity, g.reason, `e2e-gen-${g.type}-${c.id}`, g.firstTs]);

    // DGA: the last 30 hourly slots of the first Agrícola point; mostly sent, two to review, one failed.
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    for (let h = 30; h >= 1; h--) {
      const slotAt = new Date(hour - h * 3_600_000);
      const state = h === 3 || h === 7 ? "requires_review" : h === 12 ? "failed" : "sent";
      const reasons = state === "requires_review" ? (h === 3 ? ["totalizer_backwards"] : ["quality_flagged"]) : null;
      const receipt = state === "sent" ? `E2E${String(100000 + h)}ABC` : null;
      await pool.query(
        `INSERT INTO dga_slot (point_id, slot_at, standard, state, flow_lps, totalizer_m3, level_m, reasons, receipt, attempts, sent_at, last_error, updated_at)
         VALUES ($1, $2, 'mayor', $3::"SlotState", $4, $5, $6, $7, $8, $9, $10, $11, now()) ON CONFLICT DO NOTHING`,
        [
          a.id,
          slotAt,
          state,
          20.5,
          125000 + 70 * (30 - h),
          32.1,
          reasons,
          receipt,
          state === "failed" ? 5 : 1,
          receipt ? new Date(slotAt.getTime() + 5 * 60_000) : null,
          state === "failed" ? "HTTP 503" : null,
        ],
      );
    }
    return { agricolaPoints, mineraPoint, clientIds: { agricola, minera } };
  } finally {
    await pool.end();
  }
}
