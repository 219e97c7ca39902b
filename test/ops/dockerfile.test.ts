import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkDockerfile, copyParts, execForm, parseDockerfile } from "@/scripts/smoke/dockerfile.mjs";

/** Static checks of the image (no Docker daemon here); scripts/smoke/prod.mjs assembles and runs it in CI. */
const text = readFileSync("Dockerfile", "utf8");
const stages = parseDockerfile(text);
const stage = (name: string) => stages.find((s) => s.name === name)!;

describe("Dockerfile", () => {
  it("copies only what exists in the repo or what `npm run build` makes", () => {
    expect(checkDockerfile(".")).toEqual([]);
  });

  it("the check catches a COPY of a folder that exists nowhere, and a TypeScript CMD", () => {
    const broken = `${text}\nFROM runtime AS broken\nCOPY --from=build /app/nowhere ./nowhere\nCOPY missing.txt ./\nCMD ["node", "--import", "tsx", "workers/main.ts"]\n`;
    const problems = checkDockerfile(".", broken);
    expect(problems).toEqual([
      "broken: COPY --from=build /app/nowhere: not in the repo nor a build output",
      "broken: COPY missing.txt: not in the repo",
      "broken: CMD runs TypeScript (" + `["node", "--import", "tsx", "workers/main.ts"])`,
    ]);
  });

  it("the runtime image is the standalone server (with the modules Next traced) and self-contained bundles", () => {
    const copies = stage("runtime")
      .lines.filter((l) => l.op === "COPY")
      .map(copyParts);
    expect(copies.map((c) => `${c.from}:${c.sources.join(",")}`)).toEqual([
      "build:/app/.next/standalone",
      "build:/app/dist/app",
      "build:/app/prisma/migrations",
    ]);
    expect(execForm(stage("runtime").lines.find((l) => l.op === "CMD")!)).toEqual(["node", "server.js"]);
    expect(stages.map((s) => s.name)).toEqual(["build", "runtime", "demo"]);
    expect(text).not.toMatch(/\btsx\b/);
  });

  it("compose and Kubernetes run the built files, never TypeScript", () => {
    const compose = parse(readFileSync("docker-compose.yml", "utf8"), { merge: true }) as {
      services: Record<string, { command?: string[] }>;
    };
    const commands = Object.entries(compose.services)
      .filter(([, s]) => s.command?.[0] === "node")
      .map(([name, s]) => [name, s.command!.join(" ")]);
    for (const [name, cmd] of commands)
      expect(cmd, name).toMatch(/^node dist\/(app\/(workers|cli|ingest|api)|demo\/simulators)\.mjs/);
    for (const file of ["workers.yaml", "migrate-job.yaml", "web.yaml", "ingest.yaml", "api.yaml"]) {
      const k8s = readFileSync(`deploy/k8s/base/${file}`, "utf8");
      expect(k8s, file).not.toMatch(/\btsx\b|\.ts\b/);
    }
  });
});
