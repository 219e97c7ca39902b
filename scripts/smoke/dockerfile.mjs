// Reads the Dockerfile the way the image build does, for a machine without a Docker daemon: the stages,
// their COPY/RUN/ENV/CMD lines, and `assemble`, which lays the runtime target out in a folder by running
// the dependency stages' RUN lines and copying exactly what the target's COPY lines name.
import { execSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** What `npm run build` leaves behind: the only /app paths a COPY may name without their being in the repo. */
export const BUILD_OUTPUTS = [".next/standalone", "dist/app", "dist/demo", "node_modules", "generated"];

/** Stages in order: { name, from, lines: [{ op, args, text }] } (continuation lines joined, comments dropped). */
export function parseDockerfile(text) {
  const joined = text.replace(/\\\r?\n/g, " ");
  const stages = [];
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [op, ...rest] = line.split(/\s+/);
    const upper = op.toUpperCase();
    if (upper === "FROM") {
      const as = rest.findIndex((w) => w.toUpperCase() === "AS");
      stages.push({ name: as >= 0 ? rest[as + 1] : String(stages.length), from: rest[0], lines: [] });
      continue;
    }
    stages.at(-1)?.lines.push({ op: upper, args: rest, text: line.slice(op.length).trim() });
  }
  return stages;
}

/** A COPY line's flags, sources and destination. */
export function copyParts(line) {
  const flags = Object.fromEntries(line.args.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")));
  const paths = line.args.filter((a) => !a.startsWith("--"));
  return { from: flags.from ?? null, sources: paths.slice(0, -1), dest: paths.at(-1) };
}

/** The JSON-array form of CMD/ENTRYPOINT; ENV as an object. */
export function execForm(line) {
  return JSON.parse(line.text);
}
export function envOf(stage) {
  const env = {};
  for (const l of stage.lines.filter((x) => x.op === "ENV")) {
    for (const pair of l.args) {
      const i = pair.indexOf("=");
      if (i > 0) env[pair.slice(0, i)] = pair.slice(i + 1);
    }
  }
  return env;
}

const inApp = (p) => p.replace(/^\/app\/?/, "").replace(/^\.\//, "") || ".";

/** Problems with the Dockerfile against the repo in `root`: COPY sources that cannot exist, CMDs that name no built file. */
export function checkDockerfile(root, text = readFileSync(join(root, "Dockerfile"), "utf8")) {
  const problems = [];
  const stages = parseDockerfile(text);
  const names = new Set(stages.map((s) => s.name));
  for (const stage of stages) {
    for (const line of stage.lines.filter((l) => l.op === "COPY")) {
      const { from, sources } = copyParts(line);
      if (from && !names.has(from)) problems.push(`${stage.name}: COPY --from=${from}: no such stage`);
      for (const src of sources) {
        const rel = inApp(src);
        const built = BUILD_OUTPUTS.some((o) => rel === o || rel.startsWith(`${o}/`));
        if (from && built) continue;
        if (!existsSync(join(root, rel)))
          problems.push(
            `${stage.name}: COPY ${from ? `--from=${from} ` : ""}${src}: not in the repo${from ? " nor a build output" : ""}`,
          );
      }
    }
    for (const line of stage.lines.filter((l) => l.op === "CMD")) {
      const [bin, file] = execForm(line);
      if (bin !== "node") problems.push(`${stage.name}: CMD runs ${bin}, not node`);
      if (/\.tsx?$/.test(file ?? "") || line.text.includes("tsx"))
        problems.push(`${stage.name}: CMD runs TypeScript (${line.text})`);
    }
  }
  return problems;
}

/**
 * Lays out `target` in `out` as the image would have it. `prebuilt` maps stage names to folders that
 * already hold that stage's /app (e.g. build → a checkout after `npm run build`); other stages named by a
 * COPY --from are made in a scratch folder by their own COPY (from the repo) and RUN lines.
 * Returns { env, cmd, entrypoint } of the target.
 */
export function assemble({ root, target, out, prebuilt = {}, scratch, log = () => {} }) {
  const stages = parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"));
  const byName = new Map(stages.map((s) => [s.name, s]));
  const dirs = { ...prebuilt };
  const chain = [];
  for (let s = byName.get(target); s; s = byName.get(s.from)) chain.unshift(s);
  const needed = new Set(
    chain.flatMap((s) =>
      s.lines
        .filter((l) => l.op === "COPY")
        .map((l) => copyParts(l).from)
        .filter(Boolean),
    ),
  );
  for (const name of needed) {
    if (dirs[name]) continue;
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    for (const line of byName.get(name).lines) {
      if (line.op === "COPY") {
        const { sources, dest } = copyParts(line);
        for (const src of sources)
          cpSync(
            join(root, inApp(src)),
            join(dir, inApp(dest), sources.length > 1 || dest.endsWith("/") ? inApp(src).split("/").pop() : ""),
            { recursive: true },
          );
      } else if (line.op === "RUN") {
        log(`[${name}] RUN ${line.text}`);
        execSync(line.text, { cwd: dir, stdio: "inherit", env: { ...process.env, NODE_ENV: "" } });
      }
    }
    dirs[name] = dir;
  }
  mkdirSync(out, { recursive: true });
  let cmd = null;
  let entrypoint = null;
  const env = {};
  for (const stage of chain) {
    Object.assign(env, envOf(stage));
    for (const line of stage.lines) {
      if (line.op === "COPY") {
        const { from, sources, dest } = copyParts(line);
        const base = from ? dirs[from] : root;
        for (const src of sources) {
          const target = join(out, inApp(dest));
          log(`COPY ${from ? `--from=${from} ` : ""}${src} → ${dest}`);
          cpSync(join(base, inApp(src)), target, { recursive: true, force: true });
        }
      } else if (line.op === "CMD") cmd = execForm(line);
      else if (line.op === "ENTRYPOINT") entrypoint = execForm(line);
    }
  }
  return { env, cmd, entrypoint };
}
