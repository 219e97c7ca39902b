import { z } from "zod";
import { formatNumber } from "@/domain/format";

/**
 * When a rule is allowed to count (issue #20): only while the pump runs (the point's flow above a threshold)
 * and/or inside a time-of-day window on chosen weekdays, in America/Santiago. Outside the schedule a reading
 * neither starts nor continues an episode, and an open episode resolves.
 */
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Hora HH:MM");

export const RuleScheduleSchema = z
  .object({
    /** Only while the pump runs: the point's flow above this many L/s at the reading. */
    pumpOnAboveLps: z.number().min(0).nullable().default(null),
    /** "HH:MM" America/Santiago; from > to wraps midnight (22:00–06:00); from = to is all day. */
    from: HHMM.nullable().default(null),
    to: HHMM.nullable().default(null),
    /** ISO weekdays (1 = Monday … 7 = Sunday); empty = every day. */
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([]),
  })
  .superRefine((s, ctx) => {
    if ((s.from === null) !== (s.to === null))
      ctx.addIssue({ code: "custom", path: ["to"], message: "Indique inicio y fin del horario" });
  });
export type RuleSchedule = z.infer<typeof RuleScheduleSchema>;

/** Farthest flow reading that tells whether the pump runs at a reading of another variable. */
export const PUMP_MATCH_MS = 5 * 60_000;

const partsFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: "America/Santiago",
  hourCycle: "h23",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Minute of the day and ISO weekday of an instant in America/Santiago. */
export function santiagoClock(ts: Date): { minute: number; weekday: number } {
  let h = 0;
  let m = 0;
  let wd = 1;
  for (const p of partsFmt.formatToParts(ts)) {
    if (p.type === "hour") h = Number(p.value);
    else if (p.type === "minute") m = Number(p.value);
    else if (p.type === "weekday") wd = WEEKDAY[p.value] ?? 1;
  }
  return { minute: h * 60 + m, weekday: wd };
}

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Inside the time window and weekdays (a window past midnight belongs to the weekday it started on). */
export function inTimeWindow(s: Pick<RuleSchedule, "from" | "to" | "weekdays">, ts: Date): boolean {
  if ((s.from === null || s.from === s.to) && s.weekdays.length === 0) return true;
  const { minute, weekday } = santiagoClock(ts);
  const days = s.weekdays.length ? s.weekdays : null;
  if (s.from === null || s.to === null) return !days || days.includes(weekday);
  const from = toMin(s.from);
  const to = toMin(s.to);
  if (from === to) return !days || days.includes(weekday);
  if (from < to) return minute >= from && minute < to && (!days || days.includes(weekday));
  if (minute >= from) return !days || days.includes(weekday);
  if (minute < to) return !days || days.includes(((weekday + 5) % 7) + 1);
  return false;
}

/** The pump state at `ts` from the nearest flow reading within PUMP_MATCH_MS (sorted flow); null = unknown. */
export function pumpOnAt(flow: readonly { ts: Date; value: number }[], ts: Date, aboveLps: number): boolean | null {
  const t = ts.getTime();
  let lo = 0;
  let hi = flow.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (flow[mid]!.ts.getTime() < t) lo = mid + 1;
    else hi = mid;
  }
  let best: { ts: Date; value: number } | null = null;
  for (const i of [lo - 1, lo]) {
    const f = flow[i];
    if (f && (!best || Math.abs(f.ts.getTime() - t) < Math.abs(best.ts.getTime() - t))) best = f;
  }
  if (!best || Math.abs(best.ts.getTime() - t) > PUMP_MATCH_MS) return null;
  return best.value > aboveLps;
}

/** Whether a reading at `ts` counts. An unknown pump state does not (the rule says "only when the pump is on"). */
export function scheduleAllows(
  s: RuleSchedule | null | undefined,
  ts: Date,
  flow: readonly { ts: Date; value: number }[] | undefined,
): boolean {
  if (!s) return true;
  if (!inTimeWindow(s, ts)) return false;
  if (s.pumpOnAboveLps === null) return true;
  return pumpOnAt(flow ?? [], ts, s.pumpOnAboveLps) === true;
}

const DAY_ES = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];

/** "solo con bomba en marcha (caudal > 0,5 L/s), de 08:00 a 20:00, lun–vie" — empty when always. */
export function describeSchedule(s: RuleSchedule | null | undefined): string {
  if (!s) return "";
  const parts: string[] = [];
  if (s.pumpOnAboveLps !== null)
    parts.push(`solo con bomba en marcha (caudal > ${formatNumber(s.pumpOnAboveLps, 1)} L/s)`);
  if (s.from !== null && s.to !== null && s.from !== s.to) parts.push(`de ${s.from} a ${s.to}`);
  const days = [...new Set(s.weekdays)].sort((a, b) => a - b);
  if (days.length && days.length < 7) {
    const run = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
    parts.push(
      run && days.length > 2
        ? `${DAY_ES[days[0]! - 1]}–${DAY_ES[days[days.length - 1]! - 1]}`
        : days.map((d) => DAY_ES[d - 1]).join(", "),
    );
  }
  return parts.join(", ");
}

/** A schedule that restricts nothing is stored as none. */
export function normalizeSchedule(s: RuleSchedule | null | undefined): RuleSchedule | null {
  if (!s) return null;
  const window = s.from !== null && s.to !== null && s.from !== s.to;
  const days = s.weekdays.length > 0 && s.weekdays.length < 7;
  return s.pumpOnAboveLps !== null || window || days ? s : null;
}
