/**
 * What a client user must never read: English words (codes, enum values, framework defaults) and
 * numbers with a decimal point (es-CL uses a comma). Dates (dd-mm-yyyy), times, thousands groups and IP addresses pass.
 */
const ENGLISH_WORDS = [
  "flow",
  "water_table",
  "totalizer",
  "level",
  "pulses",
  "username",
  "password",
  "spike",
  "frozen",
  "sent",
  "pending",
  "failed",
  "review",
  "rejected",
  "missing",
  "skipped",
  "warning",
  "critical",
  "open",
  "acknowledged",
  "resolved",
  "not found",
  "this page",
  "could not",
  "loading",
  "submit",
  "cancel",
  "save",
  "delete",
  "search",
  "download",
  "undefined",
  "null",
  "NaN",
  "invalid",
  "expected",
  "required",
  "true",
  "false",
  "error code",
  "internal server error",
  "application error",
];

const SNAKE_CODE = /\b[a-z]+_[a-z_]+\b/g;
const IP = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const POINT_DECIMAL = /\d\.\d/g;
// es-CL thousands ("2.062", "3.169.368", RUT "76.455.593-7") are grouping, not decimals.
const GROUPED = /(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])/g;

export interface Finding {
  kind: "english" | "code" | "point-decimal";
  match: string;
  context: string;
}

/** Offending fragments of a page's visible text, each with a little context. */
export function scanText(text: string): Finding[] {
  const out: Finding[] = [];
  const ctx = (i: number, len: number) => text.slice(Math.max(0, i - 40), i + len + 40).replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  for (const w of ENGLISH_WORDS) {
    const re = new RegExp(
      `(?<![\\p{L}\\d_@./-])${w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\d_@-])`,
      "gu",
    );
    for (const m of lower.matchAll(re)) out.push({ kind: "english", match: w, context: ctx(m.index, w.length) });
  }
  for (const m of text.matchAll(SNAKE_CODE))
    if (!/@/.test(text.slice(Math.max(0, m.index - 30), m.index)))
      out.push({ kind: "code", match: m[0], context: ctx(m.index, m[0].length) });
  const noIps = text.replace(IP, (s) => "#".repeat(s.length)).replace(GROUPED, (s) => "#".repeat(s.length));
  for (const m of noIps.matchAll(POINT_DECIMAL))
    out.push({ kind: "point-decimal", match: m[0], context: ctx(m.index, m[0].length) });
  return out;
}
