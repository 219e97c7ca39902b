#!/usr/bin/env node
// SmartHydro ops CLI launcher: runs cli/main.ts with tsx (TypeScript + the "@/" alias), forwarding
// arguments, stdio, signals and the exit code. Loads ./.env when present (real env vars win);
// SMARTHYDRO_DOTENV=0 disables that.
import { spawn } from "node:child_process";
import process from "node:process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (process.env.SMARTHYDRO_DOTENV !== "0" && existsSync(".env")) process.loadEnvFile(".env");

const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(root, "cli/main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json"), SMARTHYDRO_ROOT: root },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
