#!/usr/bin/env node
// Production build of everything that is not the portal (`next build` makes that, as standalone output):
// the workers, the ingest gateway (ADR 0011), the REST API process (ADR 0014) and the ops CLI (migrations, seed, backup…) bundled to plain JavaScript in dist/app/, and the
// demo simulators in dist/demo/, each self-contained (dependencies bundled in).
// Then the standalone server gets what Next leaves out of it (static assets, public/, the providers config).
// Plain JS so that a build needs no TypeScript runner; esbuild reads tsconfig's "@/" paths itself.
import { build } from "esbuild";
import { cpSync, existsSync, rmSync, writeFileSync } from "node:fs";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Everything is bundled, so the image needs no node_modules beyond the standalone server's own; these
  // optional native add-ons are loaded (in try/catch) only when installed, and never are here.
  external: ["pg-native", "msgpackr-extract", "bufferutil", "utf-8-validate"],
  splitting: true,
  sourcemap: "linked",
  tsconfig: "tsconfig.json",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  // Bundled CommonJS helpers (if any) still find `require` in an ES module.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

rmSync("dist", { recursive: true, force: true });
await build({
  ...common,
  entryPoints: {
    workers: "workers/main.ts",
    cli: "cli/main.ts",
    ingest: "server/ingest/gateway-main.ts",
    api: "server/api/api-main.ts",
  },
  outdir: "dist/app",
});
await build({ ...common, entryPoints: { simulators: "simulators/main.ts" }, outdir: "dist/demo" });

const standalone = ".next/standalone";
if (existsSync(standalone)) {
  cpSync(".next/static", `${standalone}/.next/static`, { recursive: true });
  cpSync("public", `${standalone}/public`, { recursive: true });
  cpSync("config", `${standalone}/config`, { recursive: true });
} else {
  console.warn("· no .next/standalone (run `next build` first): only the worker and CLI bundles were built");
}
writeFileSync("dist/BUILD_INFO.json", JSON.stringify({ builtAt: new Date().toISOString() }) + "\n");
console.log(
  "· built dist/app (workers.mjs, ingest.mjs, api.mjs, cli.mjs), dist/demo (simulators.mjs)" +
    (existsSync(standalone) ? " and completed .next/standalone" : ""),
);
