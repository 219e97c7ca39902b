"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { can, type Role } from "@/domain/auth/permissions";

const ITEMS: { href: string; label: string; scope?: Parameters<typeof can>[1]; staff?: boolean }[] = [
  { href: "/", label: "Resumen" },
  { href: "/points", label: "Puntos de captación" },
  { href: "/api-docs", label: "API" },
  { href: "/admin/audit", label: "Auditoría", scope: "audit:read", staff: true },
];

export function Nav({ role, label }: { role: Role | null; label: string }) {
  const path = usePathname();
  return (
    <nav className="sidebar" aria-label="Navegación principal">
      <div className="brand">SmartHydro</div>
      {ITEMS.filter((i) => !i.scope || can(role, i.scope)).map((i) => (
        <Link key={i.href} href={i.href} aria-current={path === i.href ? "page" : undefined}>{i.label}</Link>
      ))}
      <div style={{ marginTop: "auto" }} className="muted">
        <div style={{ color: "#b9cbd6", fontSize: ".85rem", padding: ".5rem .75rem" }}>{label}</div>
        <button className="secondary" onClick={() => signOut({ callbackUrl: "/login" })}>Cerrar sesión</button>
      </div>
    </nav>
  );
}
