/** Spanish names of the DGA review reasons (domain/dga/validate.ts), and what each means for the person reading. */
export const REASON_LABEL: Record<string, string> = {
  flow_missing: "Falta el caudal",
  flow_negative: "Caudal negativo",
  flow_above_granted: "Caudal sobre lo otorgado",
  flow_above_1000_no_right: "Caudal > 1000 L/s sin derecho",
  totalizer_missing: "Falta el totalizador",
  totalizer_zero: "Totalizador en cero",
  totalizer_negative: "Totalizador negativo",
  totalizer_backwards: "Totalizador retrocede",
  totalizer_frozen: "Totalizador congelado",
  totalizer_too_long: "Totalizador demasiado largo",
  level_missing: "Falta el nivel",
  level_negative: "Nivel negativo",
  height_missing: "Falta la altura",
  all_empty: "Sin valores",
  quality_flagged: "Datos con bandera de calidad",
  obra_code_missing: "Falta el código de obra",
  obra_code_invalid: "Código de obra inválido",
  informante_missing: "Falta el informante",
  informante_invalid: "Informante inválido",
  centro_control_missing: "Falta el centro de control",
  centro_control_invalid: "Centro de control inválido",
  no_data_stale: "Sin datos recientes",
  no_data_written_off: "Sin datos (dado de baja)",
};

/** One sentence per reason: why the hour was held back instead of sent. */
export const REASON_WHY: Record<string, string> = {
  quality_flagged:
    "Una o más lecturas de esa hora tienen bandera de calidad (pico, fuera de rango, código de error del equipo); no se envían datos dudosos a la DGA sin revisión.",
  totalizer_backwards:
    "El totalizador marcó menos que en la hora anterior; puede ser un cambio o reinicio del medidor.",
  totalizer_frozen: "El totalizador no avanzó aunque el pozo registró caudal.",
  flow_negative: "El caudal medido es negativo, lo que no es posible en una extracción.",
  flow_above_granted: "El caudal supera el caudal otorgado del derecho.",
  no_data_stale: "No llegaron lecturas recientes para esa hora.",
};

export function reasonText(reasons: readonly string[] | null): string {
  return (reasons ?? []).map((x) => REASON_LABEL[x] ?? x).join(", ") || "—";
}
