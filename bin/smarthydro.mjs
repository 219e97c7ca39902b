#!/usr/bin/env node
// SmartHydro ops CLI launcher for a checkout: runs cli/main.ts with tsx (TypeScript + the "@/" alias),
// forwarding arguments, stdio, signals and the exit code. Where tsx is not installed (a production install),
// it runs the built bundle dist/app/cli.mjs instead — which is what the image runs directly.
// Loads ./.env when present (real env vars win); SMARTHYDRO_DOTENV=0 disables that.
import { spawn } from "node:child_process";
import process from "node:process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (process.env.SMARTHYDRO_DOTENV !== "0" && existsSync(".env")) process.loadEnvFile(".env");

let tsx = null;
try {
  tsx = import.meta.resolve("tsx");
} catch {
  // production install: no dev dependencies
}
const args = tsx
  ? ["--import", tsx, join(root, "cli/main.ts")]
  : ["--enable-source-maps", join(root, "dist/app/cli.mjs")];
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json"), SMARTHYDRO_ROOT: root },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
