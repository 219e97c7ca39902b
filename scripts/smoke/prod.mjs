#!/usr/bin/env node
// Production smoke: the image's runtime target laid out from the Dockerfile (no Docker daemon here), then
// started as the image and compose start it — migrate job, standalone web server, bundled workers — against
// a fresh database, plus the ingest gateway and the REST API process. Checks: health ready, one Tago push to the gateway
// accepted (202) and its reading visible through the REST API process (token and history), graceful stop. Also measures what the image carries and the processes' RSS.
// Usage: node scripts/smoke/prod.mjs [--built DIR] (DIR: a checkout after `npm run build`; default: this one)
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { parse } from "yaml";
import { assemble, checkDockerfile } from "./dockerfile.mjs";

const root = resolve(import.meta.dirname, "../..");
const argBuilt = process.argv.indexOf("--built");
const built = argBuilt > 0 ? resolve(process.argv[argBuilt + 1]) : root;
const log = (m) => console.log(`[smoke:prod] ${m}`);
const fail = (m) => {
  throw new Error(m);
};

const problems = checkDockerfile(root);
if (problems.length) fail(`Dockerfile: ${problems.join("; ")}`);

const work = mkdtempSync(join(tmpdir(), "sh-smoke-prod-"));
const image = join(work, "app");
log(`assembling the runtime target in ${image}`);
const { env: imageEnv, cmd } = assemble({
  root,
  target: "runtime",
  out: image,
  prebuilt: { build: built },
  scratch: join(work, "stages"),
  log,
});

const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"), { merge: true });
const migrateCmd = compose.services.migrate.command;
const workerCmd = compose.services.processor.command;
const ingestCmd = compose.services.ingest.command;
const apiCmd = compose.services.api.command;

const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const adminUrl = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/smarthydro_smoke_${runId}`;
const webPort = Number(process.env.SMOKE_WEB_PORT ?? 3390);
const metricsPort = Number(process.env.SMOKE_METRICS_PORT ?? 9474);
const ingestPort = Number(process.env.SMOKE_INGEST_PORT ?? 3391);
const apiPort = Number(process.env.SMOKE_API_PORT ?? 3392);
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...imageEnv,
  PORT: String(webPort),
  HOSTNAME: "127.0.0.1",
  METRICS_PORT: String(metricsPort),
  INGEST_PORT: String(ingestPort),
  API_PORT: String(apiPort),
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0",
  REDIS_NAMESPACE: `shsmoke-${runId}`,
  AUTH_SECRET: randomBytes(32).toString("hex"),
  ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  METRICS_TOKEN: randomBytes(16).toString("hex"),
  APP_URL: `http://127.0.0.1:${webPort}`,
  AUTH_URL: `http://127.0.0.1:${webPort}`,
  DGA_CENTRO_CONTROL_RUT: "76455593-7",
  DGA_SUBMISSION_ENABLED: "false",
  LOG_LEVEL: "warn",
};

const run = (argv, extra = {}) => {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: image, env: { ...env, ...extra }, encoding: "utf8" });
  if (r.status !== 0) fail(`${argv.join(" ")} exited ${r.status}: ${r.stderr || r.stdout}`);
  return r.stdout;
};
const children = [];
const start = (name, argv, extra = {}) => {
  const out = join(work, `${name}.log`);
  const c = spawn(argv[0], argv.slice(1), { cwd: image, env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  c.stdout.on("data", (d) => (text += d));
  c.stderr.on("data", (d) => (text += d));
  c.on("exit", () => writeFileSync(out, text));
  children.push({ name, c, log: () => text });
  return c;
};
async function waitOk(url, ms, init) {
  const until = Date.now() + ms;
  let last = "";
  while (Date.now() < until) {
    try {
      const r = await fetch(url, init);
      if (r.ok) return r;
      last = `${r.status} ${await r.text()}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  fail(`${url} not ready in ${ms} ms: ${last}`);
}
const rssMb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};
const du = (p) => Math.round(Number(spawnSync("du", ["-sk", p], { encoding: "utf8" }).stdout.split(/\s/)[0]) / 1024);

let ok = false;
const figures = {};
try {
  for (const dev of ["tsx", "vitest", "esbuild", "prisma", "eslint", "@prisma/dev", "playwright-core"]) {
    if (spawnSync("test", ["-e", join(image, "node_modules", dev)]).status === 0)
      fail(`dev dependency ${dev} is in the runtime image`);
  }
  figures.imageMb = du(image);
  figures.nodeModulesMb = du(join(image, "node_modules"));
  log(`runtime layout: ${figures.imageMb} MB, node_modules ${figures.nodeModulesMb} MB`);

  log(`migrate: ${migrateCmd.join(" ")}`);
  run(migrateCmd);
  run(["node", "dist/app/cli.mjs", "seed-demo", "--production-demo"]);

  log(`web: ${cmd.join(" ")} · workers: ${workerCmd.join(" ")}`);
  const web = start("web", cmd);
  const worker = start("worker", workerCmd, { WORKERS: "processor", WORKER_ID: "smoke-processor" });
  await waitOk(`http://127.0.0.1:${webPort}/api/health`, 60_000);
  await waitOk(`http://127.0.0.1:${metricsPort}/health/ready`, 60_000);
  log(`ingest gateway: ${ingestCmd.join(" ")}`);
  start("ingest", ingestCmd);
  await waitOk(`http://127.0.0.1:${ingestPort}/health/ready`, 60_000);
  log(`REST API: ${apiCmd.join(" ")}`);
  start("api", apiCmd);
  await waitOk(`http://127.0.0.1:${apiPort}/health/ready`, 60_000);
  log("web, worker, ingest gateway and REST API ready");

  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const { rows } = await db.query(`SELECT a.id AS account_id, b.point_id, b.device_ref, v.key, v.unit
    FROM provider_account a JOIN point_binding b ON b.account_id = a.id JOIN binding_variable v ON v.binding_id = b.id
    WHERE a.kind = 'tago' AND v.variable = 'flow' ORDER BY b.id LIMIT 1`);
  const target = rows[0] ?? fail("no Tago binding with a flow variable in the demo seed");
  const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
  const flowValue = 7.25;
  // Providers push to the ingest gateway in production (ADR 0011), not to the portal.
  const push = await fetch(`http://127.0.0.1:${ingestPort}/api/v1/ingest/tago/${target.account_id}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-tago-secret": "demo-tago-action-secret" },
    body: JSON.stringify([
      {
        id: randomBytes(12).toString("hex"),
        device: target.device_ref,
        variable: target.key,
        value: flowValue,
        unit: target.unit,
        time: at.toISOString(),
        created_at: new Date().toISOString(),
      },
    ]),
  });
  if (push.status !== 202) fail(`push answered ${push.status}: ${await push.text()}`);
  log(`push accepted (202) for point ${target.point_id}`);

  const token = await (
    await fetch(`http://127.0.0.1:${apiPort}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@smarthydro.cl", password: "Demo-Admin-2026" }),
    })
  ).json();
  const q = new URLSearchParams({
    from: new Date(at.getTime() - 60_000).toISOString(),
    to: new Date(at.getTime() + 60_000).toISOString(),
    bucket: "raw",
    variables: "flow",
  });
  const until = Date.now() + 60_000;
  let seen = null;
  while (!seen && Date.now() < until) {
    const h = await (
      await fetch(`http://127.0.0.1:${apiPort}/api/v1/analytics/points/${target.point_id}/history?${q}`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      })
    ).json();
    seen =
      h.series
        ?.flatMap((s) => s.rows)
        .find((row) => new Date(row.t).getTime() === at.getTime() && row.value !== null) ?? null;
    if (!seen) await new Promise((r) => setTimeout(r, 500));
  }
  if (!seen)
    fail(
      `the pushed reading did not appear in the history API within 60 s (worker log: ${children[1].log().slice(-2000)})`,
    );
  log("reading visible through GET /api/v1/analytics/points/{id}/history on the REST API process (ADR 0014)");
  await db.end();

  await new Promise((r) => setTimeout(r, 3000));
  figures.webRssMb = rssMb(web.pid);
  figures.workerRssMb = rssMb(worker.pid);
  log(`RSS after the push: web ${figures.webRssMb} MB, processor worker ${figures.workerRssMb} MB`);

  const exits = await Promise.all(
    children.map(
      ({ c }) =>
        new Promise((r) => {
          c.once("exit", (code, signal) => r({ code, signal }));
          c.kill("SIGTERM");
        }),
    ),
  );
  // Next's server closes its listener and finishes in-flight requests, then exits 128+15 by design.
  const clean = { web: [0, 143], worker: [0], ingest: [0], api: [0] };
  const bad = exits.map((e, i) => ({ ...e, name: children[i].name })).filter((e) => !clean[e.name].includes(e.code));
  if (bad.length) fail(`unclean stop: ${JSON.stringify(bad)}`);
  log("stopped cleanly (SIGTERM → exit 0)");
  ok = true;
} finally {
  for (const { c } of children) if (c.exitCode === null) c.kill("SIGKILL");
  if (!ok) for (const { name, log: l } of children) console.error(`--- ${name} log (tail)\n${l().slice(-3000)}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "smarthydro_smoke_${runId}" WITH (FORCE)`);
  await admin.end();
  spawnSync("sh", ["-c", `redis-cli --scan --pattern 'shsmoke-${runId}*' | xargs -r redis-cli del >/dev/null`]);
  if (ok) {
    mkdirSync(join(root, "var"), { recursive: true });
    writeFileSync(
      join(root, "var/smoke-prod.json"),
      JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2) + "\n",
    );
  }
  rmSync(work, { recursive: true, force: true });
}
log("passed");
