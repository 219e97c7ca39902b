"use client";
import type { Scope } from "@/domain/auth/permissions";
import { useScope } from "@/components/shell/scope";
import { Forbidden } from "./states";

/** Page title row with optional actions. */
export function PageHeader({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div className="topbar">
      <div>
        <h1>{title}</h1>
        {subtitle && (
          <p className="muted" style={{ margin: ".2rem 0 0" }}>
            {subtitle}
          </p>
        )}
      </div>
      {children && <div className="actions">{children}</div>}
    </div>
  );
}

/** Renders children only when the role has the scope (and is staff when asked) — the same can() matrix as the nav and the server. */
export function RequireScope({ scope, staff, children }: { scope: Scope; staff?: boolean; children: React.ReactNode }) {
  const { can, isStaff } = useScope();
  if (!can(scope) || (staff && !isStaff)) return <Forbidden />;
  return <>{children}</>;
}
