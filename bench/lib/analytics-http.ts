/**
 * The analytics reads through the production processes (issue #18): the REST API process (which serves
 * /api/v1/analytics/* to Bearer clients in production, ADR 0014) and, as a second column, the same requests
 * through the Next standalone server (which serves the same routes in a one-box install), with the workers
 * running, against the database the analytics bench loaded;
 * a separate load-generator process holds N requests in flight (closed loop) with a REST token of a staff user.
 * Every history request names a different point, so each one misses the web process's history cache.
 */
import type pg from "pg";
import { runLoad, type LoadReport } from "./load";
import { ensureBuild, postgresCpuMs, startProduction } from "./prod";

interface HttpReads {
  yearCold: LoadReport;
  hourCold: LoadReport;
  realtime: LoadReport;
  /** The serving process's CPU (user + system) per request of each run, ms: barely moved by other load. */
  cpuMsPerRequest: { yearCold: number; hourCold: number; realtime: number };
  /** The same for PostgreSQL (all its processes) and for the load generator: where the rest of the cores go. */
  pgCpuMsPerRequest: { yearCold: number; hourCold: number; realtime: number };
  loadGenCpuMsPerRequest: { yearCold: number; hourCold: number; realtime: number };
}
export interface HttpAnalytics {
  /** Through the REST API process (production path). */
  api: HttpReads;
  /** The same through the Next standalone server (one-box path). */
  next: HttpReads;
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
    const to = new Date(opts.end).toISOString();
    const hourFrom = new Date(opts.end - 30 * 24 * H).toISOString();
    const distinct = (n: number) =>
      Array.from({ length: n }, (_, i) => opts.hourlyPoints[(i * 7919) % opts.hourlyPoints.length]!);
    const yearPaths = distinct(opts.requests).map(
      (id) => `/points/${id}/history?from=${opts.yearFrom.toISOString()}&to=${to}`,
    );
    const hourPaths = distinct(opts.requests).map(
      (id) => `/points/${id}/history?from=${hourFrom}&to=${to}&bucket=hour`,
    );
    const measure = async (process: "api" | "web", url: string): Promise<HttpReads> => {
      const base = `${url}/api/v1/analytics`;
      const load = (paths: string[], concurrency: number, total: number, seconds = 120, tag = "r") =>
        runLoad({
          url: base,
          headers,
          rate: 0,
          seconds,
          tag,
          kind: "get",
          paths,
          okStatus: 200,
          closed: { concurrency, total },
        });
      // Warm-up of the process itself (route compilation, pools), on a point the measured runs do not read.
      await load(
        [
          `/realtime?clientId=${opts.reportClient}`,
          `/points/${opts.warmPoint}/history?from=${opts.yearFrom.toISOString()}&to=${to}`,
          `/points/${opts.warmPoint}/history?from=${hourFrom}&to=${to}&bucket=hour`,
        ],
        4,
        40,
        30,
        "warm",
      );
      const cpu: Record<string, number> = {};
      const pgCpu: Record<string, number> = {};
      const genCpu: Record<string, number> = {};
      const per = (ms: number, n: number) => Math.round((ms / Math.max(1, n)) * 100) / 100;
      const closed = async (name: string, paths: string[], concurrency: number, total: number) => {
        const c0 = prod.cpuMs()[process]!;
        const p0 = postgresCpuMs();
        const r = await load(paths, concurrency, total);
        cpu[name] = per(prod.cpuMs()[process]! - c0, r.ok);
        pgCpu[name] = per(postgresCpuMs() - p0, r.ok);
        genCpu[name] = per(r.cpuMs ?? 0, r.ok);
        opts.log(
          `${process} ${name}: ${JSON.stringify(r)} (CPU ms/request: ${process} ${cpu[name]}, PostgreSQL ${pgCpu[name]}, load generator ${genCpu[name]})`,
        );
        return r;
      };
      const yearCold = await closed("yearCold", yearPaths, 50, opts.requests);
      const hourCold = await closed("hourCold", hourPaths, 50, opts.requests);
      const realtime = await closed("realtime", [`/realtime?clientId=${opts.reportClient}`], 10, 500);
      return {
        yearCold,
        hourCold,
        realtime,
        cpuMsPerRequest: { yearCold: cpu.yearCold!, hourCold: cpu.hourCold!, realtime: cpu.realtime! },
        pgCpuMsPerRequest: { yearCold: pgCpu.yearCold!, hourCold: pgCpu.hourCold!, realtime: pgCpu.realtime! },
        loadGenCpuMsPerRequest: { yearCold: genCpu.yearCold!, hourCold: genCpu.hourCold!, realtime: genCpu.realtime! },
      };
    };
    // Each process has its own history cache, so the same paths are a miss in each.
    const api = await measure("api", prod.apiUrl);
    const next = await measure("web", prod.webUrl);
    return { api, next, rssMb: prod.rssMb() };
  } finally {
    await prod.stop();
  }
}
