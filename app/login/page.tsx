"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Logo } from "@/components/shell/logo";

export default function LoginPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const f = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      email: String(f.get("email")),
      password: String(f.get("password")),
      redirect: false,
    });
    setBusy(false);
    if (!res || res.error) {
      setError(
        res?.code === "rate_limited"
          ? "Demasiados intentos fallidos. Espere unos minutos."
          : "Correo o contraseña incorrectos.",
      );
      return;
    }
    router.replace("/");
    router.refresh();
  }

  return (
    <div className="login-page">
      <main className="login card">
        <h1 style={{ display: "flex", alignItems: "center", gap: ".5rem" }}>
          <Logo size={32} /> SmartHydro
        </h1>
        <p className="muted">Monitoreo de extracciones de agua y reporte a la DGA</p>
        <form onSubmit={onSubmit} className="stack" aria-describedby={error ? "login-error" : undefined}>
          <div>
            <label htmlFor="email">Correo</label>
            <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div>
            <label htmlFor="password">Contraseña</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          {error && (
            <p id="login-error" role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            {busy ? "Ingresando…" : "Ingresar"}
          </button>
        </form>
      </main>
    </div>
  );
}
