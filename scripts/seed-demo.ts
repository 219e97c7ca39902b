import { getDb, closeDb } from "@/server/db";
import { assertDemoSeedAllowed, seedDemo, type DemoWell } from "@/server/seed/demo";
import { env } from "@/server/env";
import { DEMO_FLEET, fleetFor, type FleetWell } from "@/simulators/providers/fleet";

/** The demo wells are the simulators' fleet: same device refs, keys, units, pulse factors and credentials. */
const wells: DemoWell[] = DEMO_FLEET.wells.map((w: FleetWell, i): DemoWell => ({
  client: (i % 3 === 2 ? 1 : 0) as 0 | 1,
  name: w.name,
  kind: "groundwater",
  standard: i % 5 === 4 ? "medio" : "mayor",
  grantedFlowLps: w.point.grantedFlowLps ?? Math.ceil(w.well.flow.nominalLps * 1.15),
  provider: w.provider,
  deviceRef: w.deviceRef,
  variables: w.variables.map((v) => ({ variable: v.variable, key: v.key, unit: v.unit, scale: v.scale })),
  pulseFactorL: w.point.pulseFactorL ?? undefined,
  sensorInstallDepthM: w.point.sensorInstallDepthM ?? undefined,
  expectedIntervalMin: Math.max(1, Math.round(w.well.stepSec / 60)),
  // Mayor points report to the bundled DGA sandbox; a few stay in shadow to show the cut-over.
  transport: i % 5 === 4 || i % 7 === 3 ? "shadow" : "live",
}));

try {
  await assertDemoSeedAllowed(getDb(), {
    nodeEnv: env().NODE_ENV,
    force: process.argv.includes("--force"),
    productionDemo: process.argv.includes("--production-demo"),
  });
} catch (e) {
  console.error((e as Error).message);
  await closeDb();
  process.exit(2);
}

const f = DEMO_FLEET.accounts;
const base = (port: number, p = "") => `http://127.0.0.1:${port}${p}`;
const r = await seedDemo(getDb(), {
  wells,
  providerBaseUrls: {
    tdata: base(4011, f.tdata.basePath),
    tts: base(4012, f.tts.basePath),
    thethingsio: base(4013, f.thethingsio.basePath),
    tago: base(4014, f.tago.basePath),
  },
  providerCredentials: {
    tdata: { username: f.tdata.username, password: f.tdata.password },
    tts: { apiKey: f.tts.apiKey },
    // Per-device credentials are keyed by the binding's deviceRef (the adapters look them up that way).
    thethingsio: Object.fromEntries(fleetFor("thethingsio").map((w) => [w.deviceRef, w.thingToken])),
    tago: Object.fromEntries(fleetFor("tago").map((w) => [w.deviceRef, w.deviceToken])),
  },
  // Half of the Nettra RTUs put their own clock in decoded_payload.ts (epoch s); the rest use received_at.
  providerSettings: { tts: { tts: { deviceTimeKey: "ts", deviceTimeUnit: "s" } } },
});
const accounts = await getDb().providerAccount.findMany({
  where: { clientId: null, name: { startsWith: "Demo " } },
  select: { id: true, kind: true },
});
console.log(`demo seeded: ${r.clients} clients, ${r.points} points, ${r.users} users`);
for (const a of accounts.filter((x) => x.kind === "tts" || x.kind === "tago"))
  console.log(`  push ${a.kind}: POST /api/v1/ingest/${a.kind}/${a.id}`);
await closeDb();
