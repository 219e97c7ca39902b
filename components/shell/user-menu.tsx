"use client";
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { label } from "@/domain/labels";
import { useScope } from "./scope";

export function UserMenu({ theme, onTheme }: { theme: "light" | "dark"; onTheme: (t: "light" | "dark") => void }) {
  const { user, role } = useScope();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const btn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent) {
        if (e.key === "Escape") {
          setOpen(false);
          btn.current?.focus();
        }
        return;
      }
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    ref.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const initials = user.name
    .split(/\s+/)
    .map((w) => w[0])
    .slice(0, 2)
    .join("")
    .toUpperCase();
  return (
    <div className="user-menu" ref={ref}>
      <button
        ref={btn}
        className="secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true" className="badge info" style={{ marginRight: ".4rem" }}>
          {initials}
        </span>
        <span className="hide-sm">{user.name}</span>
        <span className="visually-hidden"> — menú de usuario</span>
      </button>
      {open && (
        <div role="menu" aria-label="Menú de usuario">
          <div className="who">
            <strong>{user.name}</strong>
            <div className="muted small">{user.email}</div>
            <div className="small">Rol: {label("role", role)}</div>
          </div>
          <button
            role="menuitem"
            onClick={() => {
              onTheme(theme === "dark" ? "light" : "dark");
              setOpen(false);
            }}
          >
            {theme === "dark" ? "Usar tema claro" : "Usar tema oscuro"}
          </button>
          <a role="menuitem" href="/api-docs">
            Documentación de la API
          </a>
          <button role="menuitem" onClick={() => signOut({ callbackUrl: "/login" })}>
            Cerrar sesión
          </button>
        </div>
      )}
    </div>
  );
}
