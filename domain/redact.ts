const SECRET_KEYS = /pass(word)?|secret|token|credential|apikey|^key$/i;

/** Deep copy with secret-looking fields replaced, for audit rows and logs. */
export function redactSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactSecrets);
  if (v && typeof v === "object" && !(v instanceof Date)) {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redactSecrets(x)]),
    );
  }
  return v;
}
