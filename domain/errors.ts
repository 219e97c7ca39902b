/** Every error the product raises, with its HTTP status and whether retrying can help. */
const ERROR_CODES = {
  BAD_INPUT: { http: 400, retryable: false },
  UNAUTHENTICATED: { http: 401, retryable: false },
  FORBIDDEN: { http: 403, retryable: false },
  NOT_FOUND: { http: 404, retryable: false },
  CONFLICT: { http: 409, retryable: false },
  PAYLOAD_TOO_LARGE: { http: 413, retryable: false },
  RATE_LIMITED: { http: 429, retryable: true },
  PROVIDER_AUTH: { http: 502, retryable: true },
  PROVIDER_RATE_LIMITED: { http: 503, retryable: true },
  PROVIDER_UNAVAILABLE: { http: 503, retryable: true },
  PROVIDER_PERMANENT: { http: 502, retryable: false },
  DGA_UNAVAILABLE: { http: 503, retryable: true },
  DGA_REJECTED: { http: 502, retryable: false },
  DGA_CONFIG_MISSING: { http: 409, retryable: false },
  INVALID_PAYLOAD: { http: 400, retryable: false },
  INTERNAL: { http: 500, retryable: true },
} as const;

export type AppErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: unknown;
  /** For rate limits: how long to wait before retrying. */
  readonly retryAfterMs?: number;

  constructor(
    code: AppErrorCode,
    message?: string,
    opts: { details?: unknown; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message ?? code, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.details = opts.details;
    this.retryAfterMs = opts.retryAfterMs;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  static is(e: unknown, code?: AppErrorCode): e is AppError {
    return e instanceof AppError && (code === undefined || e.code === code);
  }
}
