import type { TtsParseOptions } from "@/domain/providers/tts";
import type { ProviderKind } from "@/domain/providers/types";
import { safeEqualHex, sha256 } from "@/server/crypto";
import { getPgPool } from "@/server/pg";
import { providersConfig } from "@/server/integrations/providers/config";

export interface PushAccount {
  id: number;
  kind: ProviderKind;
  active: boolean;
  pushSecretHash: string | null;
  tts: TtsParseOptions | undefined;
}

const cache = new Map<number, { at: number; account: Promise<PushAccount | null> }>();

/** Account lookups are cached briefly: a webhook burst costs one query, a rotated secret applies within the TTL. */
export function pushAccount(id: number, now = Date.now()): Promise<PushAccount | null> {
  const hit = cache.get(id);
  if (hit && now - hit.at < providersConfig().push.accountCacheMs) return hit.account;
  const account = getPgPool()
    .query<{
      id: number;
      kind: ProviderKind;
      active: boolean;
      push_secret_hash: string | null;
      settings: Record<string, unknown> | null;
    }>("SELECT id, kind::text AS kind, active, push_secret_hash, settings FROM provider_account WHERE id = $1", [id])
    .then((r) => {
      const row = r.rows[0];
      return row
        ? {
            id: row.id,
            kind: row.kind,
            active: row.active,
            pushSecretHash: row.push_secret_hash,
            tts: row.settings?.tts as TtsParseOptions | undefined,
          }
        : null;
    });
  cache.set(id, { at: now, account });
  account.catch(() => cache.delete(id));
  return account;
}

export function clearPushAccountCache(): void {
  cache.clear();
}

/** `Authorization: Bearer <secret>` or one of the configured secret headers (X-Webhook-Secret, …). */
export function presentedSecret(headers: Headers, kind: ProviderKind): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) return bearer;
  const cfg = providersConfig().push;
  for (const name of [...cfg.secretHeaders, ...(cfg.extraSecretHeaders[kind] ?? [])]) {
    const v = headers.get(name)?.trim();
    if (v) return v;
  }
  return null;
}

/** Constant-time comparison of sha256(secret) with the stored hash. */
export function secretMatches(secret: string | null, hash: string | null): boolean {
  if (!secret || !hash) return false;
  return safeEqualHex(sha256(secret), hash);
}
