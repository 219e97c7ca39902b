import { spawn, type ChildProcess } from "node:child_process";

/** Worker processes (`tsx workers/main.ts`) started by fault tests; `stopAll` in afterAll. */
export class WorkerChildren {
  private readonly children: ChildProcess[] = [];

  start(env: Record<string, string>): ChildProcess {
    const child = spawn("npx", ["tsx", "workers/main.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, METRICS_PORT: "0", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "inherit", "inherit"],
      // Own process group: npx → tsx → node, and the kill must reach the node process itself.
      detached: true,
    });
    this.children.push(child);
    return child;
  }

  async stopAll(): Promise<void> {
    for (const c of this.children) killGroup(c, "SIGKILL");
    await Promise.all(this.children.map(groupGone));
  }
}

export function killGroup(c: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-c.pid!, signal);
  } catch {
    /* already gone */
  }
}

export function groupAlive(c: ChildProcess): boolean {
  try {
    process.kill(-c.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

export async function groupGone(c: ChildProcess): Promise<void> {
  while (groupAlive(c)) await sleep(50);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `what` may be a function describing the state at timeout (counts help when a fault test times out). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string | (() => Promise<string>) = "condition",
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : await what()}`);
}

/** FAULTS_FULL=1 runs the bigger sizes; the default is the quick form that fits the CI budget. */
export const FULL = process.env.FAULTS_FULL === "1";
