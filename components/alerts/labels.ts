import { NOTIFICATION_EVENTS } from "@/domain/notifications/events";
import { EVENT_LABEL, SEVERITY_LABEL } from "@/domain/i18n/labels";

export { EVENT_LABEL, SEVERITY_LABEL };

export { NOTIFICATION_EVENTS };

export function anomalyLabel(type: string): string {
  return (EVENT_LABEL as Record<string, string>)[type] ?? type;
}

export const SEVERITY_BADGE: Record<string, string> = { info: "info", warning: "warn", critical: "bad" };
export const STATE_LABEL: Record<string, string> = {
  open: "Abierta",
  acknowledged: "Reconocida",
  resolved: "Resuelta",
};
export const CHANNEL_LABEL: Record<string, string> = { in_app: "En el portal", email: "Correo", webhook: "Webhook" };
