import type { Variable } from "@/domain/measurements/types";
import type { Scope } from "@/domain/auth/permissions";
import type { NotificationEvent } from "@/domain/notifications/events";

/**
 * The portal's one catalogue of Spanish words for codes that users see: variables, units, credential
 * fields, API-key scopes and audit actions. Enum labels of entities stay in domain/labels.ts, quality
 * flags in domain/measurements/quality.ts and alert kinds in components/alerts/labels.ts.
 */

export const VARIABLE_LABEL: Record<Variable, string> = {
  flow: "Caudal",
  totalizer: "Totalizador",
  level: "Nivel del sensor",
  water_table: "Nivel freático",
};

export function variableLabel(v: string | null | undefined): string {
  if (!v) return "—";
  if (v === "point") return "Punto";
  return (VARIABLE_LABEL as Record<string, string>)[v] ?? v;
}

/** Raw units as a provider sends them (domain/measurements/types.ts RAW_UNITS). */
const UNIT_LABEL: Record<string, string> = {
  "L/s": "L/s",
  "m3/h": "m³/h",
  "L/min": "L/min",
  m3: "m³",
  L: "litros",
  pulses: "pulsos",
  m: "m",
  cm: "cm",
};

export function unitWord(u: string | null | undefined): string {
  if (!u) return "—";
  return UNIT_LABEL[u] ?? u;
}

/** Credential keys each provider client reads, in words. */
export const CREDENTIAL_LABEL: Record<string, string> = {
  username: "Usuario",
  password: "Contraseña",
  apiKey: "Clave de API",
  thingToken: "Token del dispositivo (thing token)",
  token: "Token de acceso",
  "header:Authorization": "Encabezado Authorization",
};

const SCOPE_LABEL: Record<Scope, string> = {
  "clients:read": "Ver clientes",
  "clients:write": "Editar clientes",
  "modules:read": "Ver módulos contratados",
  "modules:write": "Editar módulos contratados",
  "users:read": "Ver usuarios",
  "users:write": "Editar usuarios",
  "points:read": "Ver puntos de captación",
  "points:write": "Editar puntos de captación",
  "providers:read": "Ver proveedores",
  "providers:write": "Editar proveedores",
  "informantes:write": "Editar informantes DGA",
  "measurements:read": "Leer mediciones",
  "collect:run": "Ejecutar recolección",
  "alerts:read": "Ver alertas",
  "alerts:ack": "Reconocer alertas",
  "notifications:read": "Ver notificaciones",
  "notifications:write": "Editar notificaciones",
  "compliance:read": "Ver cumplimiento DGA",
  "compliance:review": "Revisar reportes DGA",
  "compliance:operate": "Operar envíos DGA",
  "reports:read": "Ver reportes",
  "reports:create": "Generar reportes",
  "apikeys:write": "Administrar claves de API",
  "audit:read": "Ver auditoría",
};

export function scopeLabel(s: string): string {
  return (SCOPE_LABEL as Record<string, string>)[s] ?? s;
}

/** Features named by the first segment of an operation name (server/api/operations). */
const FEATURE_WORD: Record<string, string> = {
  alertRules: "regla de alerta",
  analytics: "alerta",
  apiKeys: "clave de API",
  clients: "cliente",
  collection: "recolección",
  compliance: "reporte DGA",
  informantes: "informante DGA",
  modules: "módulos",
  notificationRules: "regla de notificación",
  notifications: "notificación",
  points: "punto",
  providers: "proveedor",
  reports: "reporte",
  users: "usuario",
};

/** Audit actions that are not "<feature>.<verb>" of an operation, or read better in their own words. */
const ACTION_LABEL: Record<string, string> = {
  "access.denied": "Acceso denegado",
  "auth.login_failed": "Inicio de sesión fallido",
  "auth.login_throttled": "Inicio de sesión bloqueado por intentos",
  "dga.receipt.mismatch": "Comprobante DGA no coincide",
  "dga.receipt.verified": "Comprobante DGA verificado",
  "dga.slot.attempt": "Intento de envío DGA",
  "dga.slot.before_go_live": "Reporte DGA anterior a la puesta en marcha",
  "dga.slot.cutover": "Cambio de transporte DGA",
  "dga.slot.fill": "Reporte DGA completado",
  "dga.slot.recover": "Reporte DGA recuperado",
  meter_change: "Cambio de medidor",
  "analytics.ackAnomaly": "Reconoció una alerta",
  "analytics.resolveAnomaly": "Resolvió una alerta",
  "compliance.accept": "Aceptó un reporte DGA en revisión",
  "compliance.discard": "Descartó un reporte DGA en revisión",
  "compliance.runCycle": "Ejecutó el ciclo DGA",
  "compliance.setTransport": "Cambió el transporte DGA",
  "compliance.verifyReceipt": "Verificó un comprobante DGA",
  "collection.run": "Ejecutó una recolección",
  "points.recordMeterChange": "Registró un cambio de medidor",
  "points.setDgaGoLive": "Fijó la puesta en marcha DGA",
  "points.updateConfig": "Modificó la configuración de un punto",
  "notifications.markRead": "Marcó notificaciones como leídas",
  "modules.set": "Cambió los módulos contratados",
  "apiKeys.revoke": "Revocó una clave de API",
  "providers.createAccount": "Creó una cuenta de proveedor",
  "providers.updateAccount": "Modificó una cuenta de proveedor",
  "providers.createBinding": "Creó una vinculación",
  "providers.deleteBinding": "Eliminó una vinculación",
};

const VERB_WORD: Record<string, string> = {
  create: "Creó",
  update: "Modificó",
  delete: "Eliminó",
  revoke: "Revocó",
  set: "Cambió",
};

/** An audit action code ("points.update", "dga.slot.fill") in words. */
export function auditActionLabel(action: string): string {
  const known = ACTION_LABEL[action];
  if (known) return known;
  const [feature, verb] = action.split(".");
  const noun = feature ? FEATURE_WORD[feature] : undefined;
  const v = verb ? VERB_WORD[verb] : undefined;
  if (noun && v) return `${v} ${noun}`;
  return action;
}

/** DGA slot states in words (reports, receipts). */
export const DGA_SLOT_STATE_LABEL: Record<string, string> = {
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

export const SEVERITY_LABEL: Record<string, string> = {
  info: "Información",
  warning: "Advertencia",
  critical: "Crítica",
};
