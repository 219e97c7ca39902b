import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "./env";

function key(): Buffer {
  const raw = env().ENCRYPTION_KEY;
  const buf = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  // Any other length is stretched deterministically so a passphrase still yields a 256-bit key.
  return buf.length === 32 ? buf : createHash("sha256").update(raw).digest();
}

/** AES-256-GCM; output is base64(iv | tag | ciphertext). */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), data]).toString("base64");
}

export function decryptSecret(encoded: string): string {
  const buf = Buffer.from(encoded, "base64");
  const d = createDecipheriv("aes-256-gcm", key(), buf.subarray(0, 12));
  d.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString("utf8");
}

export function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A new API key: shown once; only its sha256 and prefix are stored. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const k = `shk_${randomBytes(24).toString("base64url")}`;
  return { key: k, prefix: k.slice(0, 10), hash: sha256(k) };
}

export function newPushSecret(): { secret: string; hash: string } {
  const s = randomBytes(24).toString("base64url");
  return { secret: s, hash: sha256(s) };
}
