/**
 * "Years of history" mode: a deterministic generator of a well's extraction and water table over several
 * years, at hourly resolution, with the structure a forecast must find — an irrigation season, a yearly
 * trend, a weekly pump schedule — and the things it must survive: day-to-day noise, persistent regimes
 * (wet or dry spells) and maintenance outages. Every value is a function of (config, day), so a backtest
 * can ask for any span without replaying from the start.
 */
import { rand } from "@/simulators/providers/wells";
import { dayNumber, isoDay, monthOf, weekdayOf, type DayNumber } from "@/domain/forecast/calendar";

export interface HistoryWellConfig {
  code: string;
  seed: number;
  /** Pump flow when running (L/s). */
  pumpLps: number;
  /** Scheduled pumping hours per weekday (domingo … sábado) and the local hour they start at. */
  scheduleHours: number[];
  startHour: number;
  /** Mean utilisation of the scheduled hours (0–1) at the reference date. */
  utilisation: number;
  /** Seasonal swing of demand (fraction) and the month of peak demand (0 = enero). */
  seasonAmplitude: number;
  peakMonth: number;
  /** Relative change of demand per year (0.1 = +10 %/año). */
  trendPerYear: number;
  /** Day-to-day multiplicative noise (σ) and persistent regime noise (σ of an AR(1) with ρ = 0.95). */
  dailyNoise: number;
  regimeNoise: number;
  /** Probability that a day is a maintenance outage (no pumping). */
  outageRate: number;
  /** Water table: depth to water at the reference date (m), trend (m/año, + = deeper), seasonal swing (m), drawdown when pumping (m). */
  staticDepthM: number;
  depthTrendMPerYear: number;
  depthSeasonM: number;
  drawdownM: number;
  /** Reference date of `utilisation` and `staticDepthM` (trend is zero here). */
  referenceDay: string;
}

export interface HistoryDay {
  day: string;
  volumeM3: number;
  /** Daily min / max / mean depth to water (m). */
  depthMinM: number;
  depthMaxM: number;
  depthMeanM: number;
  /** Hourly volume by local hour 0–23 (m³). */
  hourlyM3: number[];
}

const SALT = { daily: 101, regime: 102, outage: 103, depth: 104 } as const;

function gauss(seed: number, n: number, salt: number): number {
  const u = Math.max(1e-12, rand(seed, n, salt));
  const v = rand(seed, n, salt + 1000);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** AR(1) value at day n with ρ, built from a fixed window of shocks so it is a pure function of n. */
function ar1(seed: number, n: number, salt: number, rho: number, sigma: number): number {
  let x = 0;
  for (let k = 90; k >= 0; k--) x = rho * x + gauss(seed, n - k, salt) * sigma * Math.sqrt(1 - rho * rho);
  return x;
}

/** The well's day `day` (America/Santiago calendar day). */
export function historyDay(cfg: HistoryWellConfig, day: DayNumber): HistoryDay {
  const years = (day - dayNumber(cfg.referenceDay)) / 365.25;
  const month = monthOf(day) + (new Date(day * 86_400_000).getUTCDate() - 15) / 30.44;
  const season = Math.cos((2 * Math.PI * (month - cfg.peakMonth)) / 12);
  const outage = rand(cfg.seed, day, SALT.outage) < cfg.outageRate;
  const hours = cfg.scheduleHours[weekdayOf(day)] ?? 0;
  const demand =
    cfg.utilisation *
    (1 + cfg.seasonAmplitude * season) *
    (1 + cfg.trendPerYear * years) *
    Math.exp(
      cfg.dailyNoise * gauss(cfg.seed, day, SALT.daily) + ar1(cfg.seed, day, SALT.regime, 0.95, cfg.regimeNoise),
    );
  const running = outage ? 0 : Math.max(0, Math.min(1, demand));
  const hourlyM3 = Array(24).fill(0) as number[];
  for (let k = 0; k < Math.min(24, hours); k++) hourlyM3[(cfg.startHour + k) % 24] = running * cfg.pumpLps * 3.6;
  const volumeM3 = hourlyM3.reduce((a, b) => a + b, 0);
  const staticM =
    cfg.staticDepthM +
    cfg.depthTrendMPerYear * years +
    cfg.depthSeasonM * season +
    0.05 * gauss(cfg.seed, day, SALT.depth);
  const depths = hourlyM3.map((v) => staticM + (v > 0 ? cfg.drawdownM * (v / (cfg.pumpLps * 3.6)) : 0));
  return {
    day: isoDay(day),
    volumeM3,
    hourlyM3,
    depthMinM: Math.min(...depths),
    depthMaxM: Math.max(...depths),
    depthMeanM: depths.reduce((a, b) => a + b, 0) / 24,
  };
}

/** Days [from, to) of a well's history. */
export function historyRange(cfg: HistoryWellConfig, from: string, to: string): HistoryDay[] {
  const out: HistoryDay[] = [];
  for (let d = dayNumber(from); d < dayNumber(to); d++) out.push(historyDay(cfg, d));
  return out;
}

/** Hour buckets (UTC instants) of a Santiago local day's hours, for code that reads hourly rollups. */
const localFmt = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Santiago",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  hourCycle: "h23",
});

export function localHourBuckets(day: DayNumber): Date[] {
  const iso = isoDay(day);
  const fmt = localFmt;
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  // Local midnight is 03:00 or 04:00 UTC; on the spring-forward day local time starts at 01:00.
  const start =
    [3, 4].map((h) => Date.UTC(y, m - 1, d, h)).find((t) => fmt.format(new Date(t)).startsWith(`${iso}, 00`)) ??
    Date.UTC(y, m - 1, d, 4);
  return Array.from({ length: 24 }, (_, h) => new Date(start + h * 3_600_000));
}

/**
 * A simulated fleet of `n` wells with varied behaviour (seasonal irrigation, flat industrial, growing,
 * declining, noisy, outage-prone), deterministic in `seed`.
 */
export function simulatedFleet(n: number, seed = 20_261_203, referenceDay = "2026-01-01"): HistoryWellConfig[] {
  const pick = (i: number, salt: number, lo: number, hi: number) => lo + (hi - lo) * rand(seed, i, salt);
  return Array.from({ length: n }, (_, i) => {
    const weekday = Math.round(pick(i, 1, 8, 20));
    const saturday = Math.round(weekday * pick(i, 2, 0.3, 1));
    const sunday = Math.round(saturday * pick(i, 3, 0, 1));
    return {
      code: `SIM-${String(i + 1).padStart(3, "0")}`,
      seed: (seed + i * 7919) >>> 0,
      pumpLps: Math.round(pick(i, 4, 5, 60)),
      scheduleHours: [sunday, weekday, weekday, weekday, weekday, weekday, saturday],
      startHour: Math.round(pick(i, 5, 0, 10)),
      utilisation: pick(i, 6, 0.5, 0.8),
      seasonAmplitude: pick(i, 7, 0, 0.45),
      peakMonth: rand(seed, i, 8) < 0.8 ? Math.round(pick(i, 9, 0, 1.5)) : Math.round(pick(i, 10, 5, 7)),
      trendPerYear: pick(i, 11, -0.12, 0.18),
      dailyNoise: pick(i, 12, 0.03, 0.15),
      regimeNoise: pick(i, 13, 0.02, 0.08),
      outageRate: pick(i, 14, 0, 0.02),
      staticDepthM: pick(i, 15, 8, 40),
      depthTrendMPerYear: pick(i, 16, -0.3, 1.5),
      depthSeasonM: pick(i, 17, 0, 2),
      drawdownM: pick(i, 18, 2, 12),
      referenceDay,
    };
  });
}
