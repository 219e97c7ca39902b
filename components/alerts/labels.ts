import { NOTIFICATION_EVENTS, type NotificationEvent } from "@/domain/notifications/events";

/** Spanish names of the notification events (anomaly types are among them). */
export const EVENT_LABEL: Record<NotificationEvent, string> = {
  point_offline: "Punto sin conexión",
  flow_above_granted: "Caudal sobre lo otorgado",
  level_drop: "Descenso brusco de nivel",
  totalizer_frozen: "Totalizador congelado",
  negative_flow: "Caudal negativo",
  spike: "Pico anómalo",
  error_code: "Código de error del equipo",
  dga_late: "Reporte DGA atrasado",
  dga_rejected: "Reporte DGA rechazado",
  dga_failed: "Reporte DGA fallido",
  dga_review: "Reporte DGA en revisión",
  provider_error: "Error del proveedor",
  receipt_mismatch: "Comprobante DGA no coincide",
  monthly_report: "Informe mensual (correo con el archivo)",
  right_forecast: "Proyección: se superaría el derecho anual",
  level_forecast: "Proyección: el nivel alcanzaría la bomba",
  alert_rule: "Regla de alerta personalizada",
};

export { NOTIFICATION_EVENTS };

export function anomalyLabel(type: string): string {
  return (EVENT_LABEL as Record<string, string>)[type] ?? type;
}

export const SEVERITY_LABEL: Record<string, string> = {
  info: "Información",
  warning: "Advertencia",
  critical: "Crítica",
};
export const SEVERITY_BADGE: Record<string, string> = { info: "info", warning: "warn", critical: "bad" };
export const STATE_LABEL: Record<string, string> = {
  open: "Abierta",
  acknowledged: "Reconocida",
  resolved: "Resuelta",
};
export const CHANNEL_LABEL: Record<string, string> = { in_app: "En el portal", email: "Correo", webhook: "Webhook" };
