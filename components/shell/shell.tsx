"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ScopeProvider, useScope, type PortalUser } from "./scope";
import { NAV_ITEMS, isCurrent } from "./nav-items";
import { UserMenu } from "./user-menu";
import { ClientSwitcher } from "./client-switcher";
import { Logo } from "./logo";

export function Shell({
  user,
  cookieClientId,
  theme,
  children,
}: {
  user: PortalUser;
  cookieClientId: number | null;
  theme: "light" | "dark";
  children: React.ReactNode;
}) {
  return (
    <ScopeProvider user={user} cookieClientId={cookieClientId}>
      <Frame initialTheme={theme}>{children}</Frame>
    </ScopeProvider>
  );
}

function Frame({ initialTheme, children }: { initialTheme: "light" | "dark"; children: React.ReactNode }) {
  const [theme, setTheme] = useState(initialTheme);
  const [menuOpen, setMenuOpen] = useState(false);
  const path = usePathname();
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    document.documentElement.style.background = theme === "dark" ? "#0e171e" : "";
  }, [theme]);
  const onTheme = (t: "light" | "dark") => {
    document.cookie = `sh_theme=${t}; path=/; max-age=31536000; samesite=lax`;
    setTheme(t);
  };
  return (
    <div className="shell" data-theme={theme}>
      <a className="skip-link" href="#contenido">
        Saltar al contenido
      </a>
      <Sidebar open={menuOpen} onClose={() => setMenuOpen(false)} />
      <div className="app-main">
        <header className="appbar">
          <button
            className="secondary menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span aria-hidden="true">☰</span> Menú<span className="visually-hidden"> de navegación</span>
          </button>
          <ClientSwitcher />
          <span className="spacer" />
          <UserMenu theme={theme} onTheme={onTheme} />
        </header>
        <main className="main" id="contenido" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

function Sidebar({ open, onClose }: { open: boolean; onClose: () => void }) {
  const path = usePathname();
  const router = useRouter();
  const { can, isStaff, href } = useScope();
  const visible = NAV_ITEMS.filter((i) => can(i.scope) && (!i.staff || isStaff));
  const main = visible.filter((i) => i.group === "main");
  const admin = visible.filter((i) => i.group === "admin");
  // Every portal page is rendered per request, so prefetching all entries on each page load costs the
  // server a render per link while the page itself loads: prefetch only the entry the pointer or focus is on.
  const link = (i: (typeof NAV_ITEMS)[number]) => {
    const to = href(i.href);
    return (
      <Link
        key={i.href}
        href={to}
        prefetch={false}
        onMouseEnter={() => router.prefetch(to)}
        onFocus={() => router.prefetch(to)}
        aria-current={isCurrent(path, i.href) ? "page" : undefined}
      >
        {i.label}
      </Link>
    );
  };
  return (
    <nav
      id="sidebar"
      className={`sidebar${open ? " open" : ""}`}
      aria-label="Navegación principal"
      onKeyDown={(e) => e.key === "Escape" && onClose()}
    >
      <div className="brand">
        <Logo /> SmartHydro
      </div>
      {main.map(link)}
      {admin.length > 0 && (
        <div className="nav-group" aria-hidden="true">
          Administración
        </div>
      )}
      {admin.map(link)}
    </nav>
  );
}
