/**
 * The one permission matrix, shared by the server (assertCan) and the UI (can).
 * Staff roles (admin, operator) act on every client; member roles (manager, viewer) act only on
 * clients they have a membership in — that part is the tenant check, not this matrix.
 */
export const SCOPES = [
  "clients:read",
  "clients:write",
  "modules:read",
  "modules:write",
  "users:read",
  "users:write",
  "points:read",
  "points:write",
  "providers:read",
  "providers:write",
  "informantes:write",
  "measurements:read",
  "collect:run",
  "alerts:read",
  "alerts:ack",
  "notifications:read",
  "notifications:write",
  "compliance:read",
  "compliance:review",
  "compliance:operate",
  "reports:read",
  "reports:create",
  "apikeys:write",
  "audit:read",
] as const;
export type Scope = (typeof SCOPES)[number];

/** @public the canonical list (its type is derived from it). */
export const STAFF_ROLES = ["admin", "operator"] as const;
/** @public the canonical list (its type is derived from it). */
export const MEMBER_ROLES = ["manager", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type Role = StaffRole | MemberRole;

const READ: Scope[] = [
  "clients:read",
  "modules:read",
  "points:read",
  "measurements:read",
  "alerts:read",
  "notifications:read",
  "compliance:read",
  "reports:read",
];

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: SCOPES,
  operator: SCOPES.filter((s) => !["users:write", "apikeys:write", "clients:write", "modules:write"].includes(s)),
  manager: [...READ, "alerts:ack", "notifications:write", "reports:create", "users:read"],
  viewer: READ,
};

export function can(role: Role | null | undefined, scope: Scope): boolean {
  return !!role && ROLE_SCOPES[role].includes(scope);
}

/** The principal behind a request: a portal user, a REST JWT or an API key. */
export interface Principal {
  kind: "user" | "apiKey";
  id: number;
  label: string;
  staffRole: StaffRole | null;
  memberships: { clientId: number; role: MemberRole }[];
  /** API keys carry explicit scopes; null for users (their roles decide). */
  apiKeyScopes?: readonly Scope[] | null;
  /** API keys bound to one client. */
  apiKeyClientId?: number | null;
}

/** The role a principal holds on a client, or null when it has no access to that client. */
export function roleOnClient(p: Principal, clientId: number): Role | null {
  if (p.kind === "apiKey") {
    if (p.apiKeyClientId != null && p.apiKeyClientId !== clientId) return null;
    return p.apiKeyClientId == null ? "operator" : "manager";
  }
  if (p.staffRole) return p.staffRole;
  return p.memberships.find((m) => m.clientId === clientId)?.role ?? null;
}

/** Whether the principal may use `scope` on `clientId` (or platform-wide when clientId is null). */
export function principalCan(p: Principal, scope: Scope, clientId: number | null): boolean {
  if (p.kind === "apiKey") {
    if (!p.apiKeyScopes?.includes(scope)) return false;
    if (clientId == null) return p.apiKeyClientId == null;
    return p.apiKeyClientId == null || p.apiKeyClientId === clientId;
  }
  if (clientId == null) {
    if (p.staffRole) return can(p.staffRole, scope);
    // Platform-wide reads of "my clients" lists are allowed to members; the list is filtered by tenant.
    return p.memberships.some((m) => can(m.role, scope));
  }
  return can(roleOnClient(p, clientId), scope);
}

/** Clients a principal may see; null means all (staff or service key). */
export function visibleClientIds(p: Principal): number[] | null {
  if (p.kind === "apiKey") return p.apiKeyClientId == null ? null : [p.apiKeyClientId];
  if (p.staffRole) return null;
  return p.memberships.map((m) => m.clientId);
}
