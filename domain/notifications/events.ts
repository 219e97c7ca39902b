/** Events a notification rule can subscribe to: anomaly types, DGA outcomes and the monthly report. */
export const NOTIFICATION_EVENTS = [
  "point_offline",
  "flow_above_granted",
  "level_drop",
  "totalizer_frozen",
  "negative_flow",
  "spike",
  "error_code",
  "dga_late",
  "dga_rejected",
  "dga_failed",
  "dga_review",
  "provider_error",
  "receipt_mismatch",
  "monthly_report",
  "right_forecast",
  "level_forecast",
  "alert_rule",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
