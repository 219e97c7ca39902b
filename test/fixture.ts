import bcrypt from "bcryptjs";
import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import { encryptSecret, newApiKey, sha256 } from "@/server/crypto";
import { principalForUser } from "@/server/auth/principal";

export const FIXTURE_PASSWORD = "Fixture-Password-1";

/**
 * Two tenants (A, B) with one user per role, a point, a provider account, an informante, a rule, a
 * notification and API keys — everything the authorization matrix addresses.
 */
export async function createFixture(db: Db) {
  const hash = await bcrypt.hash(FIXTURE_PASSWORD, 4);
  const mkClient = (name: string, rut: string) =>
    db.client.create({
      data: {
        name,
        rut,
        modules: {
          create: ["telemetry", "dga", "reports", "alerts", "api"].map((m) => ({ module: m as "telemetry" })),
        },
      },
    });
  const clientA = await mkClient("Cliente A", "76455593-7");
  const clientB = await mkClient("Cliente B", "76944359-2");
  const mkUser = (
    email: string,
    staffRole: "admin" | "operator" | null,
    memberships: { clientId: number; role: "manager" | "viewer" }[],
  ) =>
    db.user.create({
      data: { email, name: email, passwordHash: hash, staffRole, memberships: { create: memberships } },
    });
  const users = {
    admin: await mkUser("admin@test.cl", "admin", []),
    operator: await mkUser("operator@test.cl", "operator", []),
    managerA: await mkUser("manager.a@test.cl", null, [{ clientId: clientA.id, role: "manager" }]),
    viewerA: await mkUser("viewer.a@test.cl", null, [{ clientId: clientA.id, role: "viewer" }]),
    managerB: await mkUser("manager.b@test.cl", null, [{ clientId: clientB.id, role: "manager" }]),
  };
  const mkTenant = async (clientId: number, tag: string, obra: string) => {
    const informante = await db.dgaInformante.create({
      data: { clientId, name: `Inf ${tag}`, rut: "12345678-5", passwordEnc: encryptSecret(`secret-mee-${tag}`) },
    });
    const point = await db.capturePoint.create({
      data: {
        clientId,
        name: `Pozo ${tag}`,
        kind: "groundwater",
        obraCode: obra,
        grantedFlowLps: 40,
        informanteId: informante.id,
      },
    });
    const account = await db.providerAccount.create({
      data: {
        clientId,
        kind: "tago",
        name: `Tago ${tag}`,
        baseUrl: "http://127.0.0.1:4014",
        credentialsEnc: encryptSecret(`{"token":"tok-${tag}"}`),
        pushSecretHash: sha256(`push-${tag}`),
      },
    });
    const binding = await db.pointBinding.create({
      data: {
        pointId: point.id,
        accountId: account.id,
        deviceRef: `dev-${tag}`,
        variables: { create: [{ variable: "flow", key: "caudal", unit: "L/s" }] },
      },
    });
    const rule = await db.notificationRule.create({
      data: {
        clientId,
        name: `Regla ${tag}`,
        events: ["point_offline"],
        channel: "email",
        target: `alertas-${tag}@test.cl`,
      },
    });
    const notification = await db.notification.create({
      data: { clientId, channel: "in_app", event: "manual", title: `Aviso ${tag}`, body: "" },
    });
    return { clientId, informante, point, account, binding, rule, notification };
  };
  const a = await mkTenant(clientA.id, "a", "OB-0602-7");
  const b = await mkTenant(clientB.id, "b", "OB-0601-292");
  const k = newApiKey();
  const keyA = await db.apiKey.create({
    data: {
      clientId: clientA.id,
      name: "key A",
      prefix: k.prefix,
      hash: k.hash,
      scopes: ["points:read", "measurements:read"],
    },
  });
  const principals: Record<keyof typeof users, Principal> = {
    admin: (await principalForUser(db, users.admin.id))!,
    operator: (await principalForUser(db, users.operator.id))!,
    managerA: (await principalForUser(db, users.managerA.id))!,
    viewerA: (await principalForUser(db, users.viewerA.id))!,
    managerB: (await principalForUser(db, users.managerB.id))!,
  };
  return { clientA, clientB, users, principals, a, b, apiKeyA: { row: keyA, key: k.key } };
}
export type Fixture = Awaited<ReturnType<typeof createFixture>>;
