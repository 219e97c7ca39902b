/** Spanish labels for enum values shown in the portal (see docs/glossary.md). */
export const LABELS = {
  kind: { groundwater: "Subterránea (pozo)", surface: "Superficial", surface_flowmeter: "Superficial con flujómetro" },
  standard: { mayor: "Mayor", medio: "Medio", menor: "Menor", muy_pequenos: "Caudales Muy Pequeños" },
  transport: { off: "Apagado", shadow: "Sombra (no envía)", live: "En vivo" },
  status: { active: "Activo", inactive: "Inactivo", maintenance: "Mantención" },
  role: { admin: "Administrador", operator: "Operador", manager: "Gestor", viewer: "Lector" },
  provider: {
    tdata: "Twin Data (T.Data)",
    tts: "Nettra (The Things Stack)",
    thethingsio: "Nettra (thethings.iO)",
    tago: "Novus (TagoIO)",
    custom: "Personalizado",
  },
  module: { telemetry: "Telemetría", dga: "DGA", reports: "Reportes", alerts: "Alertas", api: "API" },
} as const;

export function label<G extends keyof typeof LABELS>(group: G, key: string | null | undefined): string {
  if (!key) return "—";
  return (LABELS[group] as Record<string, string>)[key] ?? key;
}
