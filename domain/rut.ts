/** Chilean RUT: canonical form is digits, hyphen, check digit (0-9 or K), no dots. */
export function rutCheckDigit(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * factor;
    factor = factor === 7 ? 2 : factor + 1;
  }
  const r = 11 - (sum % 11);
  return r === 11 ? "0" : r === 10 ? "K" : String(r);
}

/** Normalises "76.455.593-7" / "76455593-7" / "764555937" to "76455593-7"; null when malformed or the módulo-11 digit is wrong. */
export function normalizeRut(input: string): string | null {
  const cleaned = input.replace(/[.\s]/g, "").toUpperCase();
  const m = /^(\d{1,9})-?([0-9K])$/.exec(cleaned);
  if (!m) return null;
  const body = m[1]!.replace(/^0+/, "") || "0";
  const dv = m[2]!;
  return rutCheckDigit(body) === dv ? `${body}-${dv}` : null;
}

export function isValidRut(input: string): boolean {
  return normalizeRut(input) !== null;
}

/** Display form used in the portal: 76.455.593-7 */
export function formatRut(rut: string): string {
  const n = normalizeRut(rut);
  if (!n) return rut;
  const [body, dv] = n.split("-") as [string, string];
  return `${body.replace(/\B(?=(\d{3})+(?!\d))/g, ".")}-${dv}`;
}
