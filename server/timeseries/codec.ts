import type { StoredRow } from "./types";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { codeOf } from "@/domain/measurements/quality";

/** COPY text-format field: \N for null, backslash escapes for the characters COPY treats specially. */
export function copyText(v: string | null): string {
  if (v === null) return "\\N";
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : v;
}

const copyNum = (v: number | null): string => (v === null ? "\\N" : String(v));

/** Column order shared by the staging table and copyLine. */
export const MEASUREMENT_COLUMNS =
  "point_id, variable, ts, value, raw_value, raw_unit, quality, reason, source, raw_id, base_quality, base_reason";

/** One COPY line (with trailing newline) for a measurement row. */
export function copyLine(r: StoredRow): string {
  return (
    `${r.pointId}\t${VARIABLE_CODE[r.variable]}\t${r.ts.toISOString()}\t${copyNum(r.value)}\t${copyText(r.rawValue)}\t` +
    `${copyText(r.rawUnit)}\t${codeOf(r.quality)}\t${copyText(r.reason)}\t${copyText(r.source)}\t${r.rawId ?? "\\N"}\t` +
    `${codeOf(r.baseQuality)}\t${copyText(r.baseReason)}\n`
  );
}
