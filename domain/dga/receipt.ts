import { DGA_BASE_URL, DGA_PATHS, type PointKind } from "./contract";
import type { DgaMeasurement } from "./payload";

/** Public link to MEE's receipt check (GET, no auth documented). */
export function consultUrl(kind: PointKind, obraCode: string, receipt: string, baseUrl: string = DGA_BASE_URL): string {
  const query = new URLSearchParams({ codigoObra: obraCode, numeroComprobante: receipt });
  return `${baseUrl.replace(/\/+$/, "")}${DGA_PATHS[kind]}?${query.toString()}`;
}

export interface ReceiptDiff {
  field: string;
  sent: string;
  got: string | null;
}

/** Fields where "" is a legitimate value, so a one-sided empty is not a mismatch. */
const OPTIONAL_FIELDS = new Set(["nivelFreaticoDelPozo", "alturaLimnimetrica"]);

/** GET returns DD-MM-YYYY; the POST sends YYYY-MM-DD. */
function normalizeFecha(value: string): string {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : value;
}

function sameValue(field: string, sent: string, got: string): boolean {
  if (field === "fechaMedicion") return normalizeFecha(got) === sent;
  if (field === "horaMedicion") return got === sent;
  if (sent === "" || got === "") return (sent === "") === (got === "") || OPTIONAL_FIELDS.has(field);
  const a = Number(sent);
  const b = Number(got);
  return Number.isFinite(a) && Number.isFinite(b) && a === b;
}

/**
 * Compares what we sent with what MEE's GET returns. Numbers compare numerically because MEE drops
 * trailing zeros ("25.70" → "25.7"); an empty level/height only mismatches when both sides have a value.
 */
export function compareReceiptData(
  sent: DgaMeasurement,
  got: Readonly<Record<string, unknown>> | null | undefined,
): { match: boolean; diffs: ReceiptDiff[] } {
  const diffs: ReceiptDiff[] = [];
  for (const [field, sentValue] of Object.entries(sent) as [string, string][]) {
    const raw = got?.[field];
    const gotValue = raw === undefined || raw === null ? null : String(raw);
    if (gotValue === null) {
      if (!OPTIONAL_FIELDS.has(field)) diffs.push({ field, sent: sentValue, got: null });
      continue;
    }
    if (!sameValue(field, sentValue, gotValue)) diffs.push({ field, sent: sentValue, got: gotValue });
  }
  return { match: diffs.length === 0, diffs };
}
