import { spawnSync } from "node:child_process";

/**
 * `npm run test:e2e`: the browser journeys (vitest project "e2e"; e2e/global-setup.ts builds the app,
 * seeds a fresh database and starts the standalone server), then the page times land in docs/PERFORMANCE.md.
 * Extra arguments go to vitest (e.g. a test file).
 */
const r = spawnSync("npx", ["vitest", "run", "--project", "e2e", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
