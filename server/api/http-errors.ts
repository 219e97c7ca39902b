import { AppError } from "@/domain/errors";
import { getLogger } from "@/server/logger";

/** The one place where errors become HTTP answers. 5xx messages are never shown to callers. */
export function toHttpError(e: unknown, requestId: string): { status: number; body: { error: { code: string; message: string; details?: unknown; requestId: string } }; headers: Record<string, string> } {
  if (e instanceof AppError) {
    const status = e.httpStatus;
    const headers: Record<string, string> = e.retryAfterMs ? { "Retry-After": String(Math.ceil(e.retryAfterMs / 1000)) } : {};
    if (status >= 500) getLogger().error({ err: e, requestId }, "request failed");
    return { status, headers, body: { error: { code: e.code, message: status >= 500 ? "Error interno" : e.message, details: status >= 500 ? undefined : e.details, requestId } } };
  }
  getLogger().error({ err: e, requestId }, "unhandled error");
  return { status: 500, headers: {}, body: { error: { code: "INTERNAL", message: "Error interno", requestId } } };
}

export const TRPC_CODE_BY_STATUS: Record<number, "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "TOO_MANY_REQUESTS" | "INTERNAL_SERVER_ERROR"> = {
  400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS",
};
