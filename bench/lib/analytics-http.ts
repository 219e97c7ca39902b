/**
 * The analytics reads through the production processes (issue #18): the built Next standalone server (which
 * serves /api/v1/analytics/*) with the workers running, against the database the analytics bench loaded;
 * a separate load-generator process holds N requests in flight (closed loop) with a REST token of a staff user.
 * Every history request names a different point, so each one misses the web process's history cache.
 */
import type pg from "pg";
import { runLoad, type LoadReport } from "./load";
import { ensureBuild, startProduction } from "./prod";

export interface HttpAnalytics {
  yearCold: LoadReport;
  hourCold: LoadReport;
  realtime: LoadReport;
  /** The web process's CPU (user + system) per request of each run, ms: barely moved by other load. */
  webCpuMsPerRequest: { yearCold: number; hourCold: number; realtime: number };
  rssMb: Record<string, number>;
}

const H = 3600_000;

export async function measureAnalyticsHttp(opts: {
  pool: pg.Pool;
  hourlyPoints: number[];
  reportClient: number;
  /** A point the measured runs do not read (the warm-up's history requests). */
  warmPoint: number;
  end: number;
  yearFrom: Date;
  requests: number;
  log: (m: string) => void;
}): Promise<HttpAnalytics> {
  ensureBuild(opts.log);
  const { issueRestToken } = await import("@/server/auth/rest-token");
  const u = await opts.pool.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, staff_role, updated_at)
     VALUES ('bench-http-' || floor(random() * 1e9)::text || '@bench.invalid', 'Bench HTTP', 'x', 'admin', now()) RETURNING id`,
  );
  const { token } = await issueRestToken(`user:${u.rows[0]!.id}`, new Date(), 3600, 0);
  // The REST limit per user (API_RATE_PER_MIN) would answer 429 to a benchmark: lifted for this run only.
  const prod = await startProduction({ workers: "processor", env: { API_RATE_PER_MIN: "1000000" } });
  try {
    const headers = { authorization: `Bearer ${token}` };
    const base = `${prod.webUrl}/api/v1/analytics`;
    const distinct = (n: number) =>
      Array.from({ length: n }, (_, i) => opts.hourlyPoints[(i * 7919) % opts.hourlyPoints.length]!);
    const to = new Date(opts.end).toISOString();
    const yearPaths = distinct(opts.requests).map(
      (id) => `/points/${id}/history?from=${opts.yearFrom.toISOString()}&to=${to}`,
    );
    const hourFrom = new Date(opts.end - 30 * 24 * H).toISOString();
    const hourPaths = distinct(opts.requests).map(
      (id) => `/points/${id}/history?from=${hourFrom}&to=${to}&bucket=hour`,
    );
    // Warm-up of the server itself (route compilation, pools), on points the measured runs do not read.
    await runLoad({
      url: base,
      headers,
      rate: 0,
      seconds: 30,
      tag: "warm",
      kind: "get",
      paths: [
        `/realtime?clientId=${opts.reportClient}`,
        `/points/${opts.warmPoint}/history?from=${opts.yearFrom.toISOString()}&to=${to}`,
        `/points/${opts.warmPoint}/history?from=${hourFrom}&to=${to}&bucket=hour`,
      ],
      okStatus: 200,
      closed: { concurrency: 4, total: 40 },
    });
    const cpu: Record<string, number> = {};
    const closed = async (name: string, paths: string[], concurrency: number, total: number) => {
      const c0 = prod.cpuMs().web!;
      const r = await load(paths, concurrency, total);
      cpu[name] = Math.round(((prod.cpuMs().web! - c0) / Math.max(1, r.ok)) * 100) / 100;
      return r;
    };
    const load = (paths: string[], concurrency: number, total: number) =>
      runLoad({
        url: base,
        headers,
        rate: 0,
        seconds: 120,
        tag: "r",
        kind: "get",
        paths,
        okStatus: 200,
        closed: { concurrency, total },
      });
    const yearCold = await closed("yearCold", yearPaths, 50, opts.requests);
    opts.log(`HTTP 1-year history cold (50 concurrent): ${JSON.stringify(yearCold)}`);
    const hourCold = await closed("hourCold", hourPaths, 50, opts.requests);
    opts.log(`HTTP 30-day hourly history (50 concurrent): ${JSON.stringify(hourCold)}`);
    const realtime = await closed("realtime", [`/realtime?clientId=${opts.reportClient}`], 10, 500);
    opts.log(`HTTP realtime of the client (10 concurrent): ${JSON.stringify(realtime)}`);
    opts.log(`web CPU ms per request: ${JSON.stringify(cpu)}`);
    return {
      yearCold,
      hourCold,
      realtime,
      webCpuMsPerRequest: { yearCold: cpu.yearCold!, hourCold: cpu.hourCold!, realtime: cpu.realtime! },
      rssMb: prod.rssMb(),
    };
  } finally {
    await prod.stop();
  }
}
