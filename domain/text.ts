/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in an input would surface as a database
 * error (22021). Finds the first string holding one and names where it is ("" for the root).
 */
export function nulBytePath(v: unknown, path = ""): string | null {
  if (typeof v === "string") return v.includes("\u0000") ? path : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nulBytePath(v[i], path ? `${path}.${i}` : String(i));
      if (p !== null) return p;
    }
    return null;
  }
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) {
      const p = k.includes("\u0000") ? (path ? `${path}.${k}` : k) : nulBytePath(x, path ? `${path}.${k}` : k);
      if (p !== null) return p;
    }
  }
  return null;
}

export const NUL_MESSAGE = "El texto no puede contener el carácter nulo (U+0000)";
