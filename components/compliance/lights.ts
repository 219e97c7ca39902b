export type Light = "green" | "yellow" | "orange" | "red" | "grey";
export const LIGHT_LABEL: Record<Light, string> = {
  green: "Enviado",
  yellow: "Pendiente (dentro de plazo)",
  orange: "Atrasado o en revisión",
  red: "Fallido, omitido o faltante",
  grey: "Sin obligación o futuro",
};
const RANK: Record<Light, number> = { grey: 0, green: 1, yellow: 2, orange: 3, red: 4 };
export function worst(lights: Light[]): Light {
  return lights.reduce<Light>((w, l) => (RANK[l] > RANK[w] ? l : w), "grey");
}
export const SLOT_STATE_LABEL: Record<string, string> = {
  empty: "Sin datos",
  pending: "Pendiente",
  requires_review: "En revisión",
  sending: "Enviando",
  sent: "Enviado",
  rejected: "Rechazado",
  failed: "Fallido",
  skipped: "Omitido",
  missing: "Faltante (sin registro)",
};
