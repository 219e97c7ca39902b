import type { RawReading } from "@/domain/measurements/types";

export const PROVIDER_KINDS = ["tdata", "tts", "thethingsio", "tago", "custom"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** How a worker should react to a failed provider call. */
export type ErrorClass =
  | { kind: "auth" }
  | { kind: "rate_limited"; retryAfterMs: number }
  | { kind: "transient" }
  | { kind: "permanent"; reason: string };

export interface Rejection {
  /** Position of the offending item in the provider payload (stream line, array index, …). */
  index: number;
  reason: string;
}

export interface ParseResult {
  readings: RawReading[];
  rejected: Rejection[];
}

export interface Capabilities {
  latest: boolean;
  range: boolean;
  push: boolean;
  mqtt: boolean;
}

/** Fetch `Headers` or a Node-style header record; lookups are case-insensitive. */
export type HeadersLike = { get(name: string): string | null } | Record<string, string | string[] | undefined>;
