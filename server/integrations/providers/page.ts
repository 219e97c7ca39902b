import { AppError } from "@/domain/errors";
import type { RawReading } from "@/domain/measurements/types";
import type { Cursor, FetchedBody, FetchPage } from "./types";

function maxMeasured(readings: readonly RawReading[]): Date | null {
  let max: number | null = null;
  for (const r of readings) {
    const t = r.measuredAt.getTime();
    if (max === null || t > max) max = t;
  }
  return max === null ? null : new Date(max);
}

/** Builds a FetchPage from the bodies and readings of one or more requests. */
export function pageOf(parts: BodyPart[], nextCursor: Cursor | null, failure?: AppError): FetchPage {
  const bodies: FetchedBody[] = parts.map((p) => ({
    body: p.body,
    key: p.key,
    readings: p.readings.length,
    error: p.error,
  }));
  const all = parts.flatMap((p) => p.readings);
  const firstError = parts.find((p) => p.error);
  const fail =
    failure ??
    (firstError
      ? new AppError("PROVIDER_UNAVAILABLE", firstError.error, { details: { errorClass: "transient" } })
      : undefined);
  return {
    bodies,
    readings: all.length,
    maxMeasuredAt: maxMeasured(all),
    nextCursor: fail ? null : nextCursor,
    failure: fail,
  };
}

export interface BodyPart {
  body: string;
  key?: string;
  readings: readonly RawReading[];
  error?: string;
}

/** Runs a domain parser; an unusable envelope becomes a rejected part instead of an exception. */
export function tryParse<T extends { readings: RawReading[] }>(
  body: string,
  key: string | undefined,
  parse: () => T,
): { part: BodyPart; parsed: T | null } {
  try {
    const parsed = parse();
    return { part: { body, key, readings: parsed.readings }, parsed };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { part: { body, key, readings: [], error: e.message }, parsed: null };
  }
}

export const num = (c: Cursor | null, name: string): number | undefined =>
  typeof c?.[name] === "number" ? (c[name] as number) : undefined;
export const str = (c: Cursor | null, name: string): string | undefined =>
  typeof c?.[name] === "string" ? (c[name] as string) : undefined;
