import { AppError } from "@/domain/errors";

/**
 * tRPC mutations ride on the session cookie, so a foreign page must not be able to send one: only
 * `application/json` bodies (not a CORS-simple request, so the browser preflights it) and no
 * foreign Origin or cross-site Sec-Fetch-Site. Queries are GETs and change nothing.
 */
export function assertSameOriginPost(req: Request, appUrl: string): void {
  if (req.method !== "POST") return;
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json")
    throw new AppError("BAD_INPUT", "Las mutaciones aceptan solo Content-Type: application/json");
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none")
    throw new AppError("FORBIDDEN", "Solicitud de otro sitio rechazada");
  const origin = req.headers.get("origin");
  if (origin && !allowedOrigins(req, appUrl).has(origin)) throw new AppError("FORBIDDEN", "Origen no permitido");
}

function allowedOrigins(req: Request, appUrl: string): Set<string> {
  const set = new Set([new URL(appUrl).origin]);
  const host = req.headers.get("host");
  if (host) {
    const proto = req.headers.get("x-forwarded-proto") === "https" || req.url.startsWith("https:") ? "https" : "http";
    set.add(`${proto}://${host}`);
  }
  return set;
}
