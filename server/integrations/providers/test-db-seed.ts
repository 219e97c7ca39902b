import type { Db } from "@/server/db";
import { encryptSecret, sha256 } from "@/server/crypto";
import type { FleetWell } from "@/simulators/providers/fleet";
import { fleetCredentials, type SimKind } from "./test-sims";

let n = 0;

export async function seedClient(db: Db, tag: string) {
  return db.client.create({
    data: { name: `Cliente ${tag}`, rut: `${10_000_000 + Math.floor(Math.random() * 8_000_000)}-${++n % 10}` },
  });
}

export async function seedAccount(
  db: Db,
  clientId: number,
  kind: SimKind,
  baseUrl: string,
  opts: { pushSecret?: string; settings?: Record<string, unknown> } = {},
) {
  return db.providerAccount.create({
    data: {
      clientId,
      kind,
      name: `${kind} ${++n}`,
      baseUrl,
      credentialsEnc: encryptSecret(JSON.stringify(fleetCredentials(kind))),
      pushSecretHash: opts.pushSecret ? sha256(opts.pushSecret) : null,
      settings: (opts.settings ?? {}) as object,
    },
  });
}

/** A point bound to one fleet well, with the well's own variable mapping and point set-up. */
export async function seedWellBinding(
  db: Db,
  clientId: number,
  accountId: number,
  well: FleetWell,
  opts: { watermarkAt?: Date; pollIntervalSec?: number } = {},
) {
  const point = await db.capturePoint.create({
    data: {
      clientId,
      name: well.name,
      kind: "groundwater",
      grantedFlowLps: well.point.grantedFlowLps ?? null,
      pulseFactorL: well.point.pulseFactorL ?? null,
      sensorInstallDepthM: well.point.sensorInstallDepthM ?? null,
      levelMode: well.point.levelMode,
      expectedIntervalMin: 15,
    },
  });
  return db.pointBinding.create({
    data: {
      pointId: point.id,
      accountId,
      deviceRef: well.deviceRef,
      pollIntervalSec: opts.pollIntervalSec ?? 60,
      watermarkAt: opts.watermarkAt ?? null,
      variables: {
        create: well.variables.map((v) => ({ variable: v.variable, key: v.key, unit: v.unit, scale: v.scale ?? 1 })),
      },
    },
  });
}
