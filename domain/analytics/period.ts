import { z } from "zod";

/** A calendar month "YYYY-MM" (America/Santiago for reports and extraction totals). */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Mes inválido (AAAA-MM)");

const dayFmt = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Santiago",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** America/Santiago calendar day of an instant, "YYYY-MM-DD". */
export function santiagoDay(ts: Date): string {
  return dayFmt.format(ts);
}

/** The month before the one containing `ts` in America/Santiago, "YYYY-MM". */
export function previousSantiagoMonth(ts: Date): string {
  const [y, m] = santiagoDay(ts).split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** Spanish month names, January first. */
export const MONTHS_ES = [
  "enero",
  "febrero",
  "marzo",
  "abril",
  "mayo",
  "junio",
  "julio",
  "agosto",
  "septiembre",
  "octubre",
  "noviembre",
  "diciembre",
];

/** "2026-10" → "octubre de 2026". */
export function monthLabelEs(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${MONTHS_ES[m - 1] ?? month} de ${y}`;
}
