import type { ServerEnv } from "@/server/env";

/** The ingest webhook paths, as the Next routes and the ingest gateway serve them. */
export const INGEST_PATH = /^\/api\/v1\/ingest\/(tts|tago)\/([^/?]+)\/?(?:\?.*)?$/;
/** The metrics route template of an ingest request (never the account id). */
export const INGEST_ROUTE = "/api/v1/ingest/{provider}/{accountId}";

/** Largest Content-Length accepted on a path before any byte is read (the proxy and the gateway refuse more). */
export function declaredBodyLimit(pathname: string, e: Pick<ServerEnv, "INGEST_MAX_BYTES" | "REQUEST_MAX_BYTES">) {
  return pathname.startsWith("/api/v1/ingest/")
    ? Math.max(e.INGEST_MAX_BYTES, e.REQUEST_MAX_BYTES)
    : e.REQUEST_MAX_BYTES;
}

/** True when a declared Content-Length is above `max` (a missing or unparsable one is checked while reading). */
export function declaresTooMuch(contentLength: string | null | undefined, max: number): boolean {
  const declared = Number(contentLength ?? "");
  return contentLength != null && contentLength !== "" && Number.isFinite(declared) && declared > max;
}
