import { worstLight, type Light } from "@/domain/dga/calendar";

export type { Light };
export const LIGHT_LABEL: Record<Light, string> = {
  green: "Enviado",
  yellow: "Pendiente (dentro de plazo)",
  orange: "Atrasado o en revisión",
  red: "Fallido, omitido o faltante",
  grey: "Sin obligación o futuro",
};
export function worst(lights: Light[]): Light {
  return worstLight(lights);
}
