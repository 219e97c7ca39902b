"use client";

/** Last resort when the root layout itself fails: it replaces the whole document, so it brings its own html. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="es-CL">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "2rem", maxWidth: 560, margin: "0 auto" }}>
        <main role="alert">
          <h1>Ocurrió un error</h1>
          <p>SmartHydro no pudo cargar. Intente nuevamente en unos minutos.</p>
          {error.digest && <p>Código para soporte: {error.digest}</p>}
          <button type="button" onClick={reset}>
            Reintentar
          </button>{" "}
          <a href="/">Volver al inicio</a>
        </main>
      </body>
    </html>
  );
}
