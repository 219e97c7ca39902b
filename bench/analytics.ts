/**
 * Analytics benchmark: loads POINTS × 1 year of hourly flow/totalizer/level plus MINUTE_POINTS × 30 days
 * of 1-minute flow/totalizer into a fresh database (COPY), builds the rollups in SQL, then measures
 * history of one point over a year (auto bucket, 50 concurrent), realtime of a whole client and the
 * monthly report of a REPORT_POINTS-point client in CSV, XLSX and PDF. Writes its docs/PERFORMANCE.md section.
 * `--quick` runs a smaller load; `--keep` keeps the database; `--reuse <name>` measures again against a
 * database kept by an earlier `--keep` run of the same profile (skips the 15-minute load).
 */
import { randomBytes } from "node:crypto";
import { writeSection } from "@/bench/lib/perf-doc";
import { loadavg } from "node:os";
import { dropDatabase, ensureDatabase, migrate } from "@/server/db/migrate";
import { measureAnalyticsHttp } from "@/bench/lib/analytics-http";
import { recordAnalyticsFigures } from "@/bench/lib/analytics-figures";
import { concurrent, copyRows, lines, ms, pct, seedPoints, timed } from "@/bench/lib/analytics-load";

const quick = process.argv.includes("--quick");
const keep = process.argv.includes("--keep");
const P = quick
  ? { points: 200, days: 60, minutePoints: 10, minuteDays: 3, reportPoints: 100, historyRequests: 200 }
  : { points: 1000, days: 365, minutePoints: 100, minuteDays: 30, reportPoints: 500, historyRequests: 1000 };
const CONCURRENCY = 50;
const WARM_POINTS = 200;
const reuseArg = process.argv.indexOf("--reuse");
const reuse = reuseArg >= 0 ? process.argv[reuseArg + 1]! : null;
const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const admin = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = reuse ?? `smarthydro_bench_${runId}`;
const dbUrl = Object.assign(new URL(admin), { pathname: `/${dbName}` }).toString();
Object.assign(process.env, {
  DATABASE_URL: dbUrl,
  REDIS_NAMESPACE: `bench-${runId}`,
  AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-auth-secret-0123456789abcdef0123456789",
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("hex"),
  LOG_LEVEL: "silent",
});
const log = (...a: unknown[]) => console.log(`[bench:analytics] ${a.join(" ")}`);
const H = 3600_000;

const startLoadAvg = loadavg();
const startLoad = startLoadAvg.map((x) => x.toFixed(1)).join(" / ");

async function main() {
  await ensureDatabase(dbUrl);
  await migrate(dbUrl, { log: () => {} });
  const { getPgPool, closePgPool } = await import("@/server/pg");
  const { getDb, closeDb } = await import("@/server/db");
  const { closeRedis, getRedis, deleteKeysWithPrefix } = await import("@/server/redis");
  const { publishLatest } = await import("@/server/realtime/latest");
  const { rebuildRollups } = await import("@/server/analytics/rollup-build");
  const { pointHistory } = await import("@/server/analytics/history");
  const { HistoryCache, cachedPointHistory } = await import("@/server/analytics/history-cache");
  const { realtimeForClient } = await import("@/server/analytics/realtime");
  const { generateReport } = await import("@/server/reports/generate");
  const { pgReportStorage } = await import("@/server/reports/storage");
  const { previousSantiagoMonth } = await import("@/domain/analytics/period");
  const pool = getPgPool();
  try {
    const hourlyRows = P.points * P.days * 24 * 3;
    const minuteRows = P.minutePoints * P.minuteDays * 1440 * 2;
    let end: number, tCopy: number, tRoll: number, pts: Awaited<ReturnType<typeof seedPoints>>;
    if (reuse) {
      ({ end, tCopy, tRoll, pts } = (await pool.query(`SELECT meta FROM bench_meta`)).rows[0].meta);
      log(`reusing ${dbName} (loaded for end ${new Date(end).toISOString()})`);
    } else {
      end = Math.floor(Date.now() / H) * H;
      const start = end - P.days * 24 * H;
      const minuteStart = end - P.minuteDays * 24 * H;
      for (
        let m = new Date(start);
        m.getTime() <= end;
        m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
      )
        await pool.query("SELECT ensure_month_partition('measurement', $1)", [m]);
      pts = await seedPoints(pool, P);
      log(`loading ${hourlyRows.toLocaleString()} hourly + ${minuteRows.toLocaleString()} minute rows`);
      const p = pts;
      [, tCopy] = await timed(() =>
        Promise.all([
          copyRows(pool, lines(p.hourly, start, P.days * 24, H, true)),
          copyRows(pool, lines(p.minute, minuteStart, P.minuteDays * 1440, 60_000, false)),
        ]),
      );
      log(`COPY ${((hourlyRows + minuteRows) / (tCopy / 1000)).toFixed(0)} rows/s (${(tCopy / 1000).toFixed(1)} s)`);
      const all = [...p.hourly, ...p.minute];
      // Two connections: PostgreSQL gets both cores.
      [, tRoll] = await timed(() =>
        Promise.all(
          [0, 1].map(async (lane) => {
            for (let i = lane * 50; i < all.length; i += 100)
              await rebuildRollups(pool, all.slice(i, i + 50), new Date(start - H), new Date(end + H));
          }),
        ),
      );
      await pool.query("ANALYZE");
      await pool.query(`CREATE TABLE bench_meta (meta jsonb)`);
      await pool.query(`INSERT INTO bench_meta VALUES ($1)`, [JSON.stringify({ end, tCopy, tRoll, pts })]);
    }
    log(`rollups built in ${(tRoll / 1000).toFixed(1)} s`);

    if (Number((await pool.query(`SELECT count(*) AS n FROM dga_slot`)).rows[0].n) === 0) {
      // The report client is Mayor: one slot per hour over the last 62 days, mostly sent with a receipt
      // (every 50th sent late, every 97th failed, every 211th waiting for review).
      const [, tSlots] = await timed(() =>
        pool.query(
          `INSERT INTO dga_slot (point_id, slot_at, standard, state, flow_lps, totalizer_m3, receipt, attempts, sent_at, updated_at)
         SELECT p, t, 'mayor', s.state::"SlotState", 20, 1000, CASE WHEN s.state = 'sent' THEN 'BENCH' || lpad(to_hex(p * 100000 + g), 10, '0') END,
                1, CASE WHEN s.state = 'sent' THEN t + CASE WHEN g % 50 = 0 THEN interval '3 hours' ELSE interval '4 minutes' END END, now()
         FROM unnest($1::int[]) p, generate_series(0, 62 * 24 - 1) g,
              LATERAL (SELECT to_timestamp($2::bigint / 1000) - make_interval(hours => g + 1) AS t) tt,
              LATERAL (SELECT CASE WHEN g % 97 = 0 THEN 'failed' WHEN g % 211 = 0 THEN 'requires_review' ELSE 'sent' END AS state) s`,
          [pts.hourly.slice(0, P.reportPoints), end],
        ),
      );
      await pool.query("ANALYZE dga_slot");
      log(`DGA slots seeded in ${(tSlots / 1000).toFixed(1)} s`);
    }
    const yearFrom = new Date(end - Math.min(P.days, 365) * 24 * H);
    const pick = (i: number) => pts.hourly[(i * 7919) % pts.hourly.length]!;
    let bucketsSeen = 0;
    let bucketName = "";
    // The API path: cachedPointHistory with the web process's cache (HISTORY_CACHE_* defaults) and Redis versions.
    const hcache = new HistoryCache({ maxRows: 300_000, ttlMs: 600_000 });
    const hdeps = () => ({ cache: hcache, redis: getRedis(), prefix: process.env.REDIS_NAMESPACE!, nowMs: Date.now() });
    const yearQ = (pointId: number) => ({ pointId, from: yearFrom, to: new Date(end) });
    // Cold: every request is a different point, so every one misses the cache and reads the rollups.
    const histCold = await concurrent(P.historyRequests, CONCURRENCY, async (i) => {
      const h = await cachedPointHistory(pool, yearQ(pick(i)), hdeps());
      bucketsSeen = Math.max(bucketsSeen, ...h.series.map((s) => s.rows.length));
      bucketName = h.bucket;
    });
    // Warm: the points people keep open (WARM_POINTS of them) were read once before.
    const warmPoints = pts.hourly.slice(0, Math.min(WARM_POINTS, pts.hourly.length));
    for (const id of warmPoints) await cachedPointHistory(pool, yearQ(id), hdeps());
    const cacheBefore = hcache.snapshot();
    const histLat = await concurrent(P.historyRequests, CONCURRENCY, (i) =>
      cachedPointHistory(pool, yearQ(warmPoints[(i * 7919) % warmPoints.length]!), hdeps()),
    );
    const cacheAfter = hcache.snapshot();
    log(
      `history cache: ${cacheAfter.hits - cacheBefore.hits} hits, ${cacheAfter.misses - cacheBefore.misses} misses in the warm run; ${cacheAfter.entries} entries, ${cacheAfter.rows} rows held`,
    );
    const serialLat: number[] = [];
    for (let i = 0; i < 30; i++)
      serialLat.push(
        (await timed(() => pointHistory(pool, { pointId: pick(i + 1), from: yearFrom, to: new Date(end) })))[1],
      );
    const hourLat = await concurrent(P.historyRequests, CONCURRENCY, (i) =>
      pointHistory(pool, { pointId: pick(i), from: new Date(end - 30 * 24 * H), to: new Date(end), bucket: "hour" }),
    );
    const minLat = await concurrent(Math.min(P.historyRequests, 500), CONCURRENCY, (i) =>
      pointHistory(pool, {
        pointId: pts.minute[i % pts.minute.length]!,
        from: new Date(end - 24 * H),
        to: new Date(end),
        bucket: "5min",
      }),
    );
    log(
      `history year warm p50 ${ms(pct(histLat, 50))} p99 ${ms(pct(histLat, 99))}; cold p50 ${ms(pct(histCold, 50))} p99 ${ms(pct(histCold, 99))} (${bucketName}, ≤ ${bucketsSeen} buckets)`,
    );

    // Production path: the processor keeps each point's latest values in Redis (publishLatest); fill it as it would.
    const redis = getRedis();
    const cache = { redis, prefix: process.env.REDIS_NAMESPACE! };
    const cold = await realtimeForClient(pool, pts.reportClient, new Date(end));
    await publishLatest(
      redis,
      cache.prefix,
      cold.map((p) => ({
        clientId: p.clientId,
        pointId: p.pointId,
        values: Object.fromEntries(p.values.map((v) => [v.variable, { ts: v.ts, value: v.value, quality: v.quality }])),
      })),
    );
    const rtSql: number[] = [];
    for (let i = 0; i < 30; i++)
      rtSql.push((await timed(() => realtimeForClient(pool, pts.reportClient, new Date(end))))[1]);
    const rtLat: number[] = [];
    for (let i = 0; i < 200; i++)
      rtLat.push((await timed(() => realtimeForClient(pool, pts.reportClient, new Date(end), cache)))[1]);
    const rtConc = await concurrent(500, 10, () => realtimeForClient(pool, pts.reportClient, new Date(end), cache));
    log(
      `realtime ${P.reportPoints} points p50 ${ms(pct(rtLat, 50))} p99 ${ms(pct(rtLat, 99))} (SQL fallback p99 ${ms(pct(rtSql, 99))})`,
    );

    const http = await measureAnalyticsHttp({
      pool,
      hourlyPoints: pts.hourly,
      reportClient: pts.reportClient,
      warmPoint: pts.minute[0]!,
      end,
      yearFrom,
      requests: P.historyRequests,
      log,
    });
    const month = previousSantiagoMonth(new Date(end));
    const db = getDb();
    const reports: { format: string; seconds: number; bytes: number }[] = [];
    for (const format of ["csv", "xlsx", "pdf"]) {
      const job = await db.reportJob.create({
        data: { clientId: pts.reportClient, kind: "monthly", format, params: { month } },
      });
      const [r, t] = await timed(() =>
        generateReport({ db, pool, storage: pgReportStorage(db), now: () => new Date(end) }, job.id),
      );
      reports.push({ format, seconds: t / 1000, bytes: r.bytes });
      log(`report ${format}: ${(t / 1000).toFixed(2)} s, ${(r.bytes / 1024).toFixed(0)} KiB`);
    }

    const md = [
      `## Analytics (bench/analytics.ts${quick ? " --quick" : ""}, ${new Date().toISOString().slice(0, 10)})`,
      "",
      `${reuse ? "Database loaded by an earlier `--keep` run of this script and measured again (`--reuse`)" : "Fresh database"}: ${P.points.toLocaleString()} points × ${P.days} days hourly (flow, totalizer, level) + ${P.minutePoints} points × ${P.minuteDays} days 1-minute (flow, totalizer) = ${(hourlyRows + minuteRows).toLocaleString()} rows loaded with COPY (${((hourlyRows + minuteRows) / (tCopy / 1000)).toFixed(0)} rows/s), rollups rebuilt in SQL in ${(tRoll / 1000).toFixed(1)} s; the ${P.reportPoints}-point client is Mayor with hourly DGA slots over the last 62 days (sent with receipts, some late, failed or in review). Service functions called in-process against PostgreSQL 15 on the same 2-core machine (the load generator shares the cores); Node ${process.version}; load average at start ${startLoad} and at the end ${loadavg()
        .map((x) => x.toFixed(1))
        .join(
          " / ",
        )}. The pg pool has 10 connections, so with ${CONCURRENCY} concurrent requests most of the latency is queueing for CPU and connections.`,
      "",
      "| what | result |",
      "|---|---|",
      `| **production HTTP** (REST API process \`GET /api/v1/analytics/…\`, ADR 0014; processor running, separate load-generator process): history of one point over ${Math.min(P.days, 365)} days, auto bucket, ${CONCURRENCY} concurrent, ${http.api.yearCold.sent} requests each a different point (every one a history-cache miss) | p50 **${http.api.yearCold.p50} ms**, p99 **${http.api.yearCold.p99} ms** (${http.api.yearCold.ok} × 200; API CPU ${http.api.cpuMsPerRequest.yearCold} ms/request) |`,
      `| **production HTTP** (REST API process): 30 days, bucket=hour, ${CONCURRENCY} concurrent, each a different point | p50 ${http.api.hourCold.p50} ms, p99 **${http.api.hourCold.p99} ms** (${http.api.hourCold.ok} × 200; API CPU ${http.api.cpuMsPerRequest.hourCold} ms/request) |`,
      `| **production HTTP** (REST API process): realtime of all ${P.reportPoints} points of a client, 10 concurrent, ${http.api.realtime.sent} requests | p50 ${http.api.realtime.p50} ms, p99 **${http.api.realtime.p99} ms** (${http.api.realtime.ok} × 200; API CPU ${http.api.cpuMsPerRequest.realtime} ms/request) |`,
      `| production HTTP through the Next standalone server (one-box path, same requests): 1-year history / 30-day hourly / realtime | p99 ${http.next.yearCold.p99} / ${http.next.hourCold.p99} / ${http.next.realtime.p99} ms (web CPU ${http.next.cpuMsPerRequest.yearCold} / ${http.next.cpuMsPerRequest.hourCold} / ${http.next.cpuMsPerRequest.realtime} ms/request) |`,
      `| production processes' peak RSS | ${Object.entries(http.rssMb)
        .map(([k, v]) => k + " " + v + " MB")
        .join(", ")} |`,
      "| *in-process (service functions called from the bench process; second column)*: | |",
      `| history of one point over ${Math.min(P.days, 365)} days, auto bucket (${bucketName}, ≤ ${bucketsSeen} buckets/variable), ${CONCURRENCY} concurrent, ${P.historyRequests} requests over ${warmPoints.length} points already in the history cache (warm: ${cacheAfter.hits - cacheBefore.hits} hits, ${cacheAfter.misses - cacheBefore.misses} misses) | p50 **${ms(pct(histLat, 50))}**, p99 **${ms(pct(histLat, 99))}** |`,
      `| same, cold: ${P.historyRequests} requests, each a different point (every one a cache miss reading the daily rollups) | p50 **${ms(pct(histCold, 50))}**, p99 **${ms(pct(histCold, 99))}** |`,
      `| same, uncached, one request at a time (intrinsic cost, 30 requests) | p50 ${ms(pct(serialLat, 50))}, p99 ${ms(pct(serialLat, 99))} |`,
      `| history of one point over 30 days, bucket=hour (720 buckets/variable, ${CONCURRENCY} concurrent) | p50 ${ms(pct(hourLat, 50))}, p99 ${ms(pct(hourLat, 99))} |`,
      `| history of a 1-minute point over 24 h, bucket=5min from \`measurement\` (${CONCURRENCY} concurrent) | p50 ${ms(pct(minLat, 50))}, p99 ${ms(pct(minLat, 99))} |`,
      `| realtime of all ${P.reportPoints} points of a client (latest values from the processor's Redis cache, as in production), sequential, 200 requests | p50 ${ms(pct(rtLat, 50))}, p99 **${ms(pct(rtLat, 99))}** |`,
      `| same, 10 concurrent, 500 requests | p50 ${ms(pct(rtConc, 50))}, p99 ${ms(pct(rtConc, 99))} |`,
      `| same with an empty Redis cache (SQL fallback: newest row per point and variable), sequential | p50 ${ms(pct(rtSql, 50))}, p99 ${ms(pct(rtSql, 99))} |`,
      ...reports.map(
        (r) =>
          `| monthly report ${month}, ${P.reportPoints}-point client, ${r.format.toUpperCase()} (target < 10 s) | **${r.seconds.toFixed(2)} s**, ${(r.bytes / 1024).toFixed(0)} KiB ${r.seconds < 10 ? "PASS" : "FAIL"} |`,
      ),
      "",
      "Why cold and warm differ: a cold read costs PostgreSQL and Node work proportional to the rows read, all CPU, so 50 requests in flight on 2 cores shared with PostgreSQL and the load generator queue; the per-process history cache (ADR 0007, checked against a per-point version the processor bumps) answers a repeat read with one Redis GET. Since ADR 0012, day and hour buckets read the read-optimised series (one row per point, variable and Santiago month, or UTC day: ~39 rows for a year, ~93 for 30 days hourly, instead of ~1,100 and ~2,200), maintained in the processor's transaction. Through HTTP the serving process adds its own cost per request (auth, JSON text, socket writes, GC); ADR 0014 moved REST reads to a plain node:http process, kept the per-request lookups for 5 s there and builds the JSON text faster, and collapses concurrent realtime reads of one client onto one computation and one encoded body. Realtime reads each point’s value fields from Redis in one Lua call; the SQL fallback (empty cache) is shown for comparison. Reports read the month from the rollups; with `jit=off` the slowest query (hourly quality over 1.1 M rollup rows) takes ~2.5 s.",

      "",
      `Where the two cores go per request (CPU ms, user + system from /proc ÷ answered requests): 1-year history — REST API process ${http.api.cpuMsPerRequest.yearCold}, PostgreSQL ${http.api.pgCpuMsPerRequest.yearCold}, load generator ${http.api.loadGenCpuMsPerRequest.yearCold}; 30-day hourly — ${http.api.cpuMsPerRequest.hourCold}, ${http.api.pgCpuMsPerRequest.hourCold}, ${http.api.loadGenCpuMsPerRequest.hourCold}; realtime — ${http.api.cpuMsPerRequest.realtime}, ${http.api.pgCpuMsPerRequest.realtime}, ${http.api.loadGenCpuMsPerRequest.realtime} (PostgreSQL counts every backend on the machine). With N requests in flight on 2 cores a request waits for about N × (sum of these) ÷ 2, so p99 ≤ 50 ms at 50 concurrent needs ≤ ~2 ms of CPU per request over all three processes; a year of day buckets in the v1 row format is a ~200 KB body, and its text, socket writes, GC and the client's parse alone cost more than that.`,
      "",
      "Reproduce with `npm run bench:analytics` (or `-- --quick`); `-- --keep` keeps the loaded database and `-- --reuse <name>` measures it again.",
    ].join("\n");
    console.log(`\n${md}\n`);
    recordAnalyticsFigures({
      quick,
      P,
      concurrency: CONCURRENCY,
      http,
      histLat,
      histCold,
      rtLat,
      reports,
      loadAvgStart: Number(startLoadAvg[0]!.toFixed(2)),
    });
    if (!quick) writeSection("analytics", md);
    await closeDb();
  } finally {
    await closePgPool();
    await deleteKeysWithPrefix(getRedis(), `${process.env.REDIS_NAMESPACE}:`);
    await closeRedis();
    if (!keep && !reuse) await dropDatabase(dbUrl);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
