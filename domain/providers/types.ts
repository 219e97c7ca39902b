import type { RawReading } from "@/domain/measurements/types";

export const PROVIDER_KINDS = ["tdata", "tts", "thethingsio", "tago", "custom"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** How a worker should react to a failed provider call. */
export type ErrorClass =
  | { kind: "auth" }
  | { kind: "rate_limited"; retryAfterMs: number }
  | { kind: "transient" }
  | { kind: "permanent"; reason: string };

/**
 * Why a payload (or an item of it) gave no reading. `invalid_envelope`: not the provider's message shape
 * at all. The others come from well-formed deliveries: TTS uplinks whose payload formatter failed,
 * Console-simulated uplinks, non-uplink events (join_accept, downlink ack…), records none of which is
 * usable, an empty delivery, or a device no binding knows.
 */
export const REJECT_CODES = [
  "invalid_envelope",
  "decode_failed",
  "simulated",
  "not_uplink",
  "invalid_records",
  "no_readings",
  "unknown_device",
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export interface Rejection {
  /** Position of the offending item in the provider payload (stream line, array index, …). */
  index: number;
  reason: string;
  code?: RejectCode;
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
