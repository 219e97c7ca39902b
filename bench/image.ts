/**
 * What production carries and costs: the Dockerfile's runtime target laid out from the current build
 * (scripts/smoke/dockerfile.mjs), its size and node_modules, and the idle RSS of each worker kind run as the
 * image runs it (`node dist/app/workers.mjs`), beside the same kind under tsx (the old way) and the web server.
 *   npm run build && npm run bench:image
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { machineLine, recordFigures, writeSection } from "@/bench/lib/perf-doc";
import { assemble } from "@/scripts/smoke/dockerfile.mjs";

const root = resolve(import.meta.dirname, "..");
if (!existsSync(join(root, ".next/standalone/server.js")) || !existsSync(join(root, "dist/app/workers.mjs"))) {
  console.error("bench:image needs a build: npm run build");
  process.exit(1);
}
const load0 = loadavg()[0]!;
const work = mkdtempSync(join(tmpdir(), "sh-bench-image-"));
const image = join(work, "app");
assemble({ root, target: "runtime", out: image, prebuilt: { build: root }, scratch: join(work, "stages") });
const duMb = (p: string) =>
  Math.round(Number(spawnSync("du", ["-sk", p], { encoding: "utf8" }).stdout.split(/\s/)[0]) / 1024);
const sizes = {
  image: duMb(image),
  nodeModules: duMb(join(image, "node_modules")),
  bundles: duMb(join(image, "dist/app")),
};

const IDLE_MS = 8_000;
const rssMb = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
async function idleRss(cwd: string, argv: string[], extra: Record<string, string>): Promise<number> {
  const c = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "error", METRICS_PORT: "0", ...extra },
    stdio: "ignore",
  });
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const mb = c.exitCode === null ? rssMb(c.pid!) : NaN;
  c.kill("SIGTERM");
  await new Promise((r) => c.once("exit", r));
  return mb;
}

const kinds = ["collector", "processor", "dga", "notify", "maintenance", "reports", "mqtt"];
const rows: { kind: string; bundled: number; tsx: number }[] = [];
for (const kind of kinds) {
  const env = { WORKERS: kind, WORKER_ID: `bench-${kind}`, DGA_SUBMISSION_ENABLED: "false", MQTT_URL: "" };
  const bundled = await idleRss(image, ["node", "dist/app/workers.mjs"], env);
  const tsx = await idleRss(root, ["node", "--import", "tsx", "workers/main.ts"], env);
  rows.push({ kind, bundled, tsx });
  console.log(`${kind}: bundled ${bundled} MB, tsx ${tsx} MB`);
}
const web = await idleRss(image, ["node", "server.js"], { PORT: "3391", HOSTNAME: "127.0.0.1" });
rmSync(work, { recursive: true, force: true });
const processor = rows.find((r) => r.kind === "processor")!;

recordFigures(
  "image",
  [
    {
      id: "image_runtime_mb",
      label: "Runtime image contents (standalone server + bundles + migrations)",
      value: sizes.image,
      unit: "MB",
    },
    {
      id: "image_node_modules_mb",
      label: "Runtime node_modules (traced by Next for the server)",
      value: sizes.nodeModules,
      unit: "MB",
    },
    {
      id: "worker_processor_idle_rss_mb",
      label: "Processor worker idle RSS, bundled as in the image",
      value: processor.bundled,
      unit: "MB",
      target: { op: "<=", value: 150 },
    },
    {
      id: "worker_processor_idle_rss_tsx_mb",
      label: "Processor worker idle RSS under tsx (before)",
      value: processor.tsx,
      unit: "MB",
    },
    { id: "web_idle_rss_mb", label: "Web (standalone server) idle RSS", value: web, unit: "MB" },
  ],
  { quick: false, loadAvgStart: load0, path: "production processes" },
);
writeSection(
  "image",
  [
    "## Image and process footprint (`npm run bench:image`)",
    "",
    `Run ${new Date().toISOString()} on ${machineLine()} (load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}). The Dockerfile's runtime`,
    "target laid out from the build (no Docker daemon here; same COPY lines), then each worker kind started alone as the image starts it",
    `and measured after ${IDLE_MS / 1000} s idle (connected to PostgreSQL and Redis, queues open), beside the same kind run through tsx.`,
    "",
    `Runtime contents: **${sizes.image} MB** — node_modules ${sizes.nodeModules} MB (the modules Next traced for the server; the workers and CLI need none),`,
    `bundles ${sizes.bundles} MB (with source maps). Before: ~885 MB of node_modules with every dev dependency and tsx.`,
    "",
    "| process | RSS bundled (image) | RSS under tsx |",
    "|---|---:|---:|",
    ...rows.map((r) => `| worker ${r.kind} | ${r.bundled} MB | ${r.tsx} MB |`),
    `| web (standalone server.js) | ${web} MB | — |`,
  ].join("\n"),
);
