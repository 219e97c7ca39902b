import { AppError } from "@/domain/errors";
import type { ProviderKind } from "@/domain/providers/types";
import { decryptSecret } from "@/server/crypto";
import type { Db } from "@/server/db";
import { kindConfigFor, providersConfig } from "./config";
import type { AccountCtx, BindingCtx } from "./types";

type AccountRow = { id: number; kind: ProviderKind; baseUrl: string; credentialsEnc: string | null; settings: unknown };

export function accountCtx(a: AccountRow): AccountCtx {
  let credentials: Record<string, string> = {};
  if (a.credentialsEnc) {
    try {
      credentials = JSON.parse(decryptSecret(a.credentialsEnc)) as Record<string, string>;
    } catch {
      throw new AppError(
        "PROVIDER_PERMANENT",
        `account ${a.id}: credentials cannot be decrypted (ENCRYPTION_KEY changed?)`,
        { details: { errorClass: "permanent" } },
      );
    }
  }
  const settings =
    a.settings && typeof a.settings === "object" && !Array.isArray(a.settings)
      ? (a.settings as Record<string, unknown>)
      : {};
  return {
    id: a.id,
    kind: a.kind,
    baseUrl: a.baseUrl || providersConfig().kinds[a.kind].baseUrl || "",
    credentials,
    settings,
    config: kindConfigFor(a.kind, settings),
  };
}

/** Binding + account + mapped keys, credentials decrypted; null when missing or inactive. */
export async function loadBindingCtx(db: Db, bindingId: number): Promise<BindingCtx | null> {
  const b = await db.pointBinding.findUnique({
    where: { id: bindingId },
    include: {
      variables: { select: { key: true } },
      account: { select: { id: true, kind: true, baseUrl: true, credentialsEnc: true, settings: true, active: true } },
    },
  });
  if (!b || !b.active || !b.account.active) return null;
  return {
    id: b.id,
    deviceRef: b.deviceRef,
    pointId: b.pointId,
    keys: [...new Set(b.variables.map((v) => v.key))],
    account: accountCtx(b.account),
  };
}
