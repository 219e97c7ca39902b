import { AppError } from "@/domain/errors";
import { getLogger } from "@/server/logger";

/** The one place where errors become HTTP answers. 5xx messages are never shown to callers. */
export function toHttpError(
  e: unknown,
  requestId: string,
): {
  status: number;
  body: { error: { code: string; message: string; details?: unknown; requestId: string } };
  headers: Record<string, string>;
} {
  if (e instanceof AppError) {
    const status = e.httpStatus;
    const headers: Record<string, string> = e.retryAfterMs
      ? { "Retry-After": String(Math.ceil(e.retryAfterMs / 1000)) }
      : {};
    if (status >= 500) getLogger().error({ err: e, requestId }, "request failed");
    return {
      status,
      headers,
      body: {
        error: {
          code: e.code,
          message: status >= 500 ? "Error interno" : e.message,
          details: status >= 500 ? undefined : e.details,
          requestId,
        },
      },
    };
  }
  getLogger().error({ err: e, requestId }, "unhandled error");
  return { status: 500, headers: {}, body: { error: { code: "INTERNAL", message: "Error interno", requestId } } };
}

export const TRPC_CODE_BY_STATUS: Record<
  number,
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR"
> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
};

/** Prisma's known request errors become AppErrors (a missing row is a 404, not a 500). */
export function fromDatabaseError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof AppError || typeof code !== "string") return e;
  switch (code) {
    case "P2025":
    case "P2001":
      return new AppError("NOT_FOUND", "No encontrado", { cause: e });
    case "P2002":
      return new AppError("CONFLICT", "Ya existe un registro con esos datos", { cause: e });
    case "P2003":
      return new AppError("BAD_INPUT", "Hace referencia a un registro que no existe", { cause: e });
    case "22021":
      return new AppError("BAD_INPUT", "Texto con caracteres no válidos (por ejemplo U+0000)", { cause: e });
    case "P2000":
    case "22P02":
    case "22003":
      return new AppError("BAD_INPUT", "Valor fuera de rango o mal formado", { cause: e });
    default:
      return e;
  }
}
