import { QUALITY, QUALITY_NAMES, QUALITY_SEVERITY, nameOf, type QualityName } from "@/domain/measurements/quality";
import { VARIABLE_BY_CODE, type Variable } from "@/domain/measurements/types";

/**
 * SQL fragments shared by the analytics reads. Worst quality follows domain/measurements/quality.ts
 * `worse()`: highest severity, ties broken by the higher code — encoded as severity*100 + code so max() works.
 */
export function qualityRankSql(col: string): string {
  return `(CASE ${col} ${QUALITY_NAMES.map((n) => `WHEN ${QUALITY[n]} THEN ${QUALITY_SEVERITY[n] * 100 + QUALITY[n]}`).join(" ")} ELSE 1099 END)`;
}

/** Quality name from a rank produced by qualityRankSql (max over rows). */
export function qualityFromRank(rank: number | null): QualityName {
  return rank == null ? "ok" : nameOf(rank % 100);
}

/** Codes of the qualities whose values enter statistics (isTrustedValue). */
export const TRUSTED_CODES: number[] = QUALITY_NAMES.filter((n) => QUALITY_SEVERITY[n] <= QUALITY_SEVERITY.frozen).map(
  (n) => QUALITY[n],
);

export function variableOf(code: number): Variable {
  const v = VARIABLE_BY_CODE[code];
  if (!v) throw new RangeError(`unknown variable code ${code}`);
  return v;
}

export const UNIT_OF: Record<Variable, string> = { flow: "L/s", totalizer: "m3", level: "m", water_table: "m" };

export const SANTIAGO = "America/Santiago";

/** pg returns double precision as number and bigint/numeric as string; normalise. */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
