import type { Scope } from "@/domain/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  scope: Scope;
  /** Staff-only (admin section). */
  staff?: boolean;
  group: "main" | "admin";
}

/** The portal's navigation; each entry is shown only when can(role, scope) — the same matrix the server enforces. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Resumen", scope: "clients:read", group: "main" },
  { href: "/points", label: "Puntos de captación", scope: "points:read", group: "main" },
  { href: "/compliance", label: "Cumplimiento DGA", scope: "compliance:read", group: "main" },
  { href: "/alerts", label: "Alertas", scope: "notifications:read", group: "main" },
  { href: "/reports", label: "Reportes", scope: "reports:read", group: "main" },
  { href: "/admin/clients", label: "Clientes y módulos", scope: "clients:read", staff: true, group: "admin" },
  { href: "/admin/users", label: "Usuarios", scope: "users:write", staff: true, group: "admin" },
  { href: "/admin/points", label: "Puntos (configuración)", scope: "points:write", staff: true, group: "admin" },
  { href: "/admin/providers", label: "Proveedores", scope: "providers:write", staff: true, group: "admin" },
  { href: "/admin/informantes", label: "Informantes DGA", scope: "informantes:write", staff: true, group: "admin" },
  { href: "/admin/api-keys", label: "Claves de API", scope: "apikeys:write", staff: true, group: "admin" },
  { href: "/admin/backfill", label: "Recolección y backfill", scope: "collect:run", staff: true, group: "admin" },
  { href: "/admin/audit", label: "Auditoría", scope: "audit:read", staff: true, group: "admin" },
];

export function isCurrent(path: string, href: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
}
