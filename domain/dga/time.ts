import { AppError } from "@/domain/errors";

/** The DGA clock is UTC-4 all year (DS 53/2020, Res. 1.238/2019): Chile's daylight saving never applies. */
const DGA_UTC_OFFSET_HOURS = -4;
const OFFSET_MS = DGA_UTC_OFFSET_HOURS * 3_600_000;

/** Calendar fields of an instant read on the DGA clock (month 1–12). */
export interface DgaWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface DgaDateTime {
  /** YYYY-MM-DD */
  fecha: string;
  /** HH:MM:SS */
  hora: string;
}

function assertValidDate(d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new AppError("BAD_INPUT", "invalid date");
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function toDgaWallClock(utc: Date): DgaWallClock {
  assertValidDate(utc);
  const shifted = new Date(utc.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** UTC instant of a DGA wall-clock time. Out-of-range fields roll over (month 13 = January next year). */
export function fromDgaWallClock(w: {
  year: number;
  month: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
}): Date {
  return new Date(Date.UTC(w.year, w.month - 1, w.day ?? 1, w.hour ?? 0, w.minute ?? 0, w.second ?? 0) - OFFSET_MS);
}

export function toDgaDateTime(utc: Date): DgaDateTime {
  const w = toDgaWallClock(utc);
  return {
    fecha: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`,
    hora: `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`,
  };
}

/** The month ("YYYY-MM") an instant falls in on the DGA clock (fixed UTC-4): compliance months are DGA months. */
export function dgaMonthOf(utc: Date): string {
  return toDgaDateTime(utc).fecha.slice(0, 7);
}

/** Parses fechaMedicion (YYYY-MM-DD) and horaMedicion (HH:MM:SS) on the DGA clock; rejects impossible dates. */
export function fromDgaDateTime(fecha: string, hora: string): Date {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fecha);
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(hora);
  if (!d || !t) throw new AppError("BAD_INPUT", `not a DGA date-time: ${fecha} ${hora}`);
  const [year, month, day, hour, minute, second] = [d[1], d[2], d[3], t[1], t[2], t[3]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = fromDgaWallClock({ year, month, day, hour, minute, second });
  const back = toDgaDateTime(utc);
  if (back.fecha !== fecha || back.hora !== hora)
    throw new AppError("BAD_INPUT", `impossible DGA date-time: ${fecha} ${hora}`);
  return utc;
}

/**
 * Header timeStampOrigen: the send time on the DGA clock followed by the manual's literal "-0000"
 * (yyyy-MM-ddTHH:mm:ss-0000). This is the shape production accepted from Emeltec.
 */
export function timeStampOrigen(now: Date): string {
  const { fecha, hora } = toDgaDateTime(now);
  return `${fecha}T${hora}-0000`;
}
