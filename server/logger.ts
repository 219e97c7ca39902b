import pino from "pino";
import { env } from "./env";

/** Paths that may hold secrets; pino replaces them before anything is written. */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "passwordHash",
  "*.passwordHash",
  "credentials",
  "*.credentials",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
  'headers["x-webhook-secret"]',
  '*.headers["x-webhook-secret"]',
];

const g = globalThis as unknown as { __logger?: pino.Logger };

export function getLogger(): pino.Logger {
  g.__logger ??= pino({
    level: env().LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { svc: process.title },
  });
  return g.__logger;
}
