import { parseArgs, type ParseArgsConfig } from "node:util";

/** Wrong usage: exit code 2 with the command's help. */
export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number | void>;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs with --help and usage errors as UsageError. */
export function parse<O extends Options>(argv: string[], options: O, positionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: positionals,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`missing --${flag}`);
  return value;
}

export function intArg(value: string | undefined, flag: string): number {
  const n = Number(required(value, flag));
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive integer`);
  return n;
}

export function dateArg(value: string | undefined, flag: string): Date {
  const d = new Date(required(value, flag));
  if (Number.isNaN(d.getTime()))
    throw new UsageError(`--${flag} must be an ISO date or date-time (e.g. 2026-11-01 or 2026-11-01T04:00:00Z)`);
  return d;
}

/**
 * A textual progress bar on stderr: redrawn in place on a TTY, a line every 10 % otherwise (logs, CI).
 */
export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let done = 0;
  let lastDecile = -1;
  const draw = () => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    if (tty) {
      const width = 30;
      const fill = Math.round(ratio * width);
      stream.write(
        `\r${label} [${"#".repeat(fill)}${"-".repeat(width - fill)}] ${done}/${total} ${Math.round(ratio * 100)}%`,
      );
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${done}/${total} (${decile * 10}%)\n`);
      }
    }
  };
  draw();
  return {
    tick(n = 1) {
      done += n;
      draw();
    },
    finish() {
      done = total;
      draw();
      if (tty) stream.write("\n");
    },
  };
}

export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)";
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? "" : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(cols),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
  ].join("\n");
}
