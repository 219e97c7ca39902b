/** Quality codes: the smallint stored in `measurement.quality`. Never renumber; only append. */
export const QUALITY = {
  ok: 0,
  suspect: 1,
  error_code: 2,
  out_of_range: 3,
  spike: 4,
  frozen: 5,
  reset: 6,
  rollover: 7,
  gap: 8,
  future: 9,
  duplicate_conflict: 10,
  unparseable: 11,
} as const;

export type QualityName = keyof typeof QUALITY;
export type QualityCode = (typeof QUALITY)[QualityName];

export const QUALITY_NAMES = Object.keys(QUALITY) as QualityName[];

/** Spanish labels for the UI. */
export const QUALITY_LABEL_ES: Record<QualityName, string> = {
  ok: "Válido",
  suspect: "Sospechoso",
  error_code: "Código de error del equipo",
  out_of_range: "Fuera de rango",
  spike: "Pico",
  frozen: "Totalizador congelado",
  reset: "Reinicio de totalizador",
  rollover: "Vuelta de contador",
  gap: "Brecha",
  future: "Fecha futura",
  duplicate_conflict: "Duplicado en conflicto",
  unparseable: "Valor ilegible",
};

const BY_CODE = new Map<number, QualityName>(QUALITY_NAMES.map((n) => [QUALITY[n], n]));

/**
 * How bad a quality is, for "worst quality" roll-ups. Informational markers (gap, reset, rollover)
 * rank just above ok; anything that makes the value unusable ranks highest.
 */
export const QUALITY_SEVERITY: Record<QualityName, number> = {
  ok: 0,
  gap: 1,
  reset: 2,
  rollover: 2,
  duplicate_conflict: 3,
  frozen: 4,
  suspect: 5,
  spike: 6,
  out_of_range: 7,
  future: 8,
  error_code: 9,
  unparseable: 10,
};

/** Smallint code of a quality name. */
export function codeOf(name: QualityName): QualityCode {
  return QUALITY[name];
}

/** Quality name of a stored smallint code; throws RangeError on an unknown code (corrupt row or missing migration). */
export function nameOf(code: number): QualityName {
  const name = BY_CODE.get(code);
  if (name === undefined) throw new RangeError(`unknown quality code ${code}`);
  return name;
}

/** Spanish UI label of a quality given by name or stored code. */
export function labelOf(quality: QualityName | number): string {
  return QUALITY_LABEL_ES[typeof quality === "number" ? nameOf(quality) : quality];
}

/** The worse of two qualities; equal severities are broken by the higher code so the result never depends on argument order. */
export function worse(a: QualityName, b: QualityName): QualityName {
  const sa = QUALITY_SEVERITY[a];
  const sb = QUALITY_SEVERITY[b];
  if (sa !== sb) return sa > sb ? a : b;
  return QUALITY[a] >= QUALITY[b] ? a : b;
}

/** Worst quality of a list; "ok" for an empty list. */
export function worstOf(qualities: Iterable<QualityName>): QualityName {
  let w: QualityName = "ok";
  for (const q of qualities) w = worse(w, q);
  return w;
}

/** True when the value is a real reading fit for statistics and charts (frozen is a real, if stale, register value). */
export function isTrustedValue(quality: QualityName): boolean {
  return QUALITY_SEVERITY[quality] <= QUALITY_SEVERITY.frozen;
}

/** True when a totalizer row may anchor a consumption delta (frozen rows are skipped so the volume is spread over the freeze). */
export function countsForConsumption(quality: QualityName): boolean {
  return QUALITY_SEVERITY[quality] <= QUALITY_SEVERITY.duplicate_conflict;
}
