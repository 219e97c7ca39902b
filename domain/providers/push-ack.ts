import type { ParseResult, RejectCode } from "./types";

/**
 * How to answer a pushed delivery. Platforms count every non-2xx as a failed delivery and, after a
 * few, disable the webhook for the whole application (TTS) or retry it for hours (Tago): so only a
 * body that is not the provider's message at all is refused (400). A well-formed delivery that yields
 * no reading is acknowledged and kept raw with its reason ("ignored").
 */
export type PushVerdict =
  | { kind: "accepted"; readings: number; notes: string[] }
  | { kind: "ignored"; code: RejectCode; reason: string }
  | { kind: "unparseable"; code: "invalid_envelope" | "not_json" | "push_unsupported"; reason: string };

export function pushVerdict(result: ParseResult): PushVerdict {
  const notes = result.rejected.slice(0, 5).map((x) => `#${x.index}: ${x.reason}`);
  if (result.readings.length > 0) return { kind: "accepted", readings: result.readings.length, notes };
  const first = result.rejected[0];
  if (!first) return { kind: "ignored", code: "no_readings", reason: "no readings in payload" };
  if (first.code === "invalid_envelope" && result.rejected.length === 1)
    return { kind: "unparseable", code: "invalid_envelope", reason: first.reason };
  const code = first.code && first.code !== "invalid_envelope" ? first.code : "invalid_records";
  return { kind: "ignored", code, reason: `no usable readings: ${notes.join("; ")}` };
}
