"use client";
import Link from "next/link";

/** Spanish 500 for a page that failed to render; the layout around it stays. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="login-page">
      <main className="login card" role="alert" aria-labelledby="err-title">
        <h1 id="err-title">Ocurrió un error</h1>
        <p>No pudimos mostrar esta página. Intente nuevamente; si el problema persiste, avise a soporte.</p>
        {error.digest && <p className="small muted">Código para soporte: {error.digest}</p>}
        <p className="row">
          <button type="button" onClick={reset}>
            Reintentar
          </button>
          <Link href="/">Volver al inicio</Link>
        </p>
      </main>
    </div>
  );
}
