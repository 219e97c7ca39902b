"use client";
import { userErrorText } from "@/domain/i18n/errors";

/** Loading, error and empty states with the right live-region roles. */
export function Loading({ what = "datos" }: { what?: string }) {
  return (
    <p role="status" className="muted">
      Cargando {what}…
    </p>
  );
}

export function isNotFound(e: unknown): boolean {
  const d = (e as { data?: { code?: string; httpStatus?: number } } | null)?.data;
  return d?.code === "NOT_FOUND" || d?.httpStatus === 404;
}

function errorText(e: unknown): string {
  if (isNotFound(e)) return "No encontrado, o no tiene acceso.";
  const d = (e as { data?: { code?: string } } | null)?.data;
  if (d?.code === "FORBIDDEN") return (e as Error).message || "No tiene permiso para esta acción.";
  if (d?.code === "INTERNAL_SERVER_ERROR") return "Error interno. Intente nuevamente.";
  return e instanceof Error ? userErrorText(e.message) : "Ocurrió un error.";
}

export function ErrorMsg({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="notice bad">
      {errorText(error)}
    </p>
  );
}

export function Forbidden() {
  return (
    <div className="card" role="alert">
      <h1>Sin acceso</h1>
      <p>Su rol no tiene permiso para ver esta página.</p>
    </div>
  );
}
