import bcrypt from "bcryptjs";
import type { Db } from "@/server/db";
import { encryptSecret, sha256 } from "@/server/crypto";
import { DEMO_ACCOUNTS } from "@/domain/demo/accounts";

/** Demo credentials: printed by the start script; they protect nothing but demo data. */
export const DEMO_USERS = [
  {
    email: "admin@smarthydro.cl",
    name: "Ana Administradora",
    password: "Demo-Admin-2026",
    staffRole: "admin" as const,
    memberships: [],
  },
  {
    email: "operador@smarthydro.cl",
    name: "Óscar Operador",
    password: "Demo-Operador-2026",
    staffRole: "operator" as const,
    memberships: [],
  },
  {
    email: "gestor@agricolaandes.cl",
    name: "Gabriela Gestora",
    password: "Demo-Gestor-2026",
    staffRole: null,
    memberships: [{ client: 0, role: "manager" as const }],
  },
  {
    email: "lector@agricolaandes.cl",
    name: "Luis Lector",
    password: "Demo-Lector-2026",
    staffRole: null,
    memberships: [{ client: 0, role: "viewer" as const }],
  },
  {
    email: "gestor@mineranorte.cl",
    name: "Marta Minera",
    password: "Demo-Minera-2026",
    staffRole: null,
    memberships: [{ client: 1, role: "manager" as const }],
  },
];

export const DEMO_CLIENTS = [
  {
    name: "Agrícola Los Andes SpA",
    rut: "76455593-7",
    contactName: "Gabriela Gestora",
    contactEmail: "gestor@agricolaandes.cl",
    region: "O'Higgins",
    obraPrefix: "OB-0602-",
    lat: -34.6,
    lon: -71.2,
  },
  {
    name: "Minera Norte Grande S.A.",
    rut: "76944359-2",
    contactName: "Marta Minera",
    contactEmail: "gestor@mineranorte.cl",
    region: "Antofagasta",
    obraPrefix: "OB-0201-",
    lat: -23.6,
    lon: -70.1,
  },
];

/** The secrets the simulators' push senders use (simulators/providers/main.ts): kept in sync by construction. */
export const DEMO_PUSH_SECRETS = {
  tts: DEMO_ACCOUNTS.tts.webhookSecret,
  tago: DEMO_ACCOUNTS.tago.actionSecret,
};

/** One demo well: which client, which provider account kind and device, how it reports. */
export interface DemoWell {
  client: 0 | 1;
  name: string;
  kind: "groundwater" | "surface" | "surface_flowmeter";
  standard: "mayor" | "medio" | "menor" | "muy_pequenos";
  grantedFlowLps: number;
  provider: "tdata" | "tts" | "thethingsio" | "tago";
  deviceRef: string;
  variables: { variable: "flow" | "totalizer" | "level"; key: string; unit: string; scale?: number }[];
  pulseFactorL?: number;
  sensorInstallDepthM?: number;
  /** The logger's reporting interval (offline detection and the reset confirmation window follow it); default 15. */
  expectedIntervalMin?: number;
  transport: "off" | "shadow" | "live";
}

export interface DemoSeedOptions {
  wells: DemoWell[];
  providerBaseUrls: Record<DemoWell["provider"], string>;
  providerCredentials: Record<DemoWell["provider"], Record<string, string>>;
  providerSettings?: Partial<Record<DemoWell["provider"], Record<string, unknown>>>;
}

/**
 * The demo seed creates users with public passwords: refused in production and on a database that
 * holds anything but demo data (a client or user the seed did not create), unless forced.
 * `productionDemo` admits a production build that *is* a demo (start.sh, e2e) but still refuses real data.
 */
export async function assertDemoSeedAllowed(
  db: Db,
  opts: { nodeEnv: string; force: boolean; productionDemo?: boolean },
): Promise<void> {
  if (opts.force) return;
  if (opts.nodeEnv === "production" && !opts.productionDemo) {
    throw new Error(
      "seed-demo refused: NODE_ENV=production (the demo users' passwords are public). Use --production-demo for a demo installation, or --force.",
    );
  }
  const [clients, users] = await Promise.all([
    db.client.count({ where: { rut: { notIn: DEMO_CLIENTS.map((c) => c.rut) } } }),
    db.user.count({ where: { email: { notIn: DEMO_USERS.map((u) => u.email) } } }),
  ]);
  if (clients || users)
    throw new Error(
      `seed-demo refused: the database holds non-demo data (${clients} client(s), ${users} user(s)). Use --force to seed anyway.`,
    );
}

/** Idempotent: safe to run on every start. */
export async function seedDemo(
  db: Db,
  opts: DemoSeedOptions,
): Promise<{ clients: number; points: number; users: number }> {
  const clientIds: number[] = [];
  for (const c of DEMO_CLIENTS) {
    const row = await db.client.upsert({
      where: { rut: c.rut },
      create: { name: c.name, rut: c.rut, contactName: c.contactName, contactEmail: c.contactEmail },
      update: {},
    });
    for (const module of ["telemetry", "dga", "reports", "alerts", "api"] as const) {
      await db.clientModule.upsert({
        where: { clientId_module: { clientId: row.id, module } },
        create: { clientId: row.id, module },
        update: {},
      });
    }
    clientIds.push(row.id);
  }

  for (const u of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: u.email } });
    if (existing) continue;
    await db.user.create({
      data: {
        email: u.email,
        name: u.name,
        staffRole: u.staffRole,
        passwordHash: await bcrypt.hash(u.password, 10),
        memberships: { create: u.memberships.map((m) => ({ clientId: clientIds[m.client]!, role: m.role })) },
      },
    });
  }

  const informantes: number[] = [];
  for (const [i, cid] of clientIds.entries()) {
    const rut = i === 0 ? "12345678-5" : "11111111-1";
    const inf = await db.dgaInformante.upsert({
      where: { clientId_rut: { clientId: cid, rut } },
      create: {
        clientId: cid,
        name: i === 0 ? "Informante Agrícola" : "Informante Minera",
        rut,
        passwordEnc: encryptSecret(`demo-mee-${i}`),
      },
      update: {},
    });
    informantes.push(inf.id);
  }

  const accounts = new Map<string, number>();
  for (const kind of ["tdata", "tts", "thethingsio", "tago"] as const) {
    const name = `Demo ${kind}`;
    const existing = await db.providerAccount.findFirst({ where: { name, clientId: null } });
    const push = kind === "tts" || kind === "tago" ? sha256(DEMO_PUSH_SECRETS[kind]) : null;
    // Demo accounts follow the simulators: base URL, credentials and push secret are refreshed on every run.
    const data = {
      baseUrl: opts.providerBaseUrls[kind],
      credentialsEnc: encryptSecret(JSON.stringify(opts.providerCredentials[kind])),
      pushSecretHash: push,
      settings: (opts.providerSettings?.[kind] ?? {}) as object,
    };
    const acc = existing
      ? await db.providerAccount.update({ where: { id: existing.id }, data })
      : await db.providerAccount.create({ data: { name, kind, ...data } });
    accounts.set(kind, acc.id);
    const refs = opts.wells.filter((w) => w.provider === kind).map((w) => w.deviceRef);
    await db.pointBinding.updateMany({
      where: { accountId: acc.id, deviceRef: { notIn: refs } },
      data: { active: false },
    });
  }

  let n = 0;
  for (const w of opts.wells) {
    n++;
    const c = DEMO_CLIENTS[w.client]!;
    const obraCode = `${c.obraPrefix}${100 + n}`;
    const point = await db.capturePoint.upsert({
      where: { obraCode },
      create: {
        clientId: clientIds[w.client]!,
        name: w.name,
        kind: w.kind,
        obraCode,
        dgaStandard: w.standard,
        grantedFlowLps: w.grantedFlowLps,
        annualVolumeM3: Math.round((w.grantedFlowLps * 3600 * 24 * 365 * 0.5) / 1000),
        region: c.region,
        shac: `SHAC ${c.region}`,
        latitude: c.lat - (n % 5) * 0.05,
        longitude: c.lon + (n % 3) * 0.05,
        wellDepthM: w.kind === "groundwater" ? 120 : null,
        sensorInstallDepthM: w.sensorInstallDepthM ?? null,
        levelMode: w.sensorInstallDepthM ? "depth_from_install" : "direct",
        pulseFactorL: w.pulseFactorL ?? null,
        expectedIntervalMin: w.expectedIntervalMin ?? 15,
        dgaTransport: w.transport,
        informanteId: informantes[w.client]!,
        // Live since the start of the previous hour: the demo shows a receipt for the current hour within
        // minutes of its start, and one catch-up hour, instead of waiting for the next boundary.
        dgaGoLiveAt:
          w.transport === "live" ? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000) : null,
      },
      update: { expectedIntervalMin: w.expectedIntervalMin ?? 15 },
    });
    const accountId = accounts.get(w.provider)!;
    const binding = await db.pointBinding.findFirst({
      where: { pointId: point.id, accountId, deviceRef: w.deviceRef },
    });
    if (!binding) {
      await db.pointBinding.create({
        data: {
          pointId: point.id,
          accountId,
          deviceRef: w.deviceRef,
          pollIntervalSec: 60,
          variables: { create: w.variables.map((v) => ({ ...v, scale: v.scale ?? 1 })) },
        },
      });
    }
  }
  return { clients: clientIds.length, points: n, users: DEMO_USERS.length };
}
