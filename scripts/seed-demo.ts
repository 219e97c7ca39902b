import { getDb, closeDb } from "@/server/db";
import { seedDemo, type DemoWell } from "@/server/seed/demo";

// Placeholder fleet until the simulators' fleet definition lands (then the seed binds to it).
const wells: DemoWell[] = Array.from({ length: 20 }, (_, i) => ({
  client: (i % 3 === 2 ? 1 : 0) as 0 | 1,
  name: `Pozo ${i + 1}`,
  kind: "groundwater",
  standard: i % 5 === 4 ? "medio" : "mayor",
  grantedFlowLps: 20 + (i % 4) * 10,
  provider: (["tdata", "tts", "thethingsio", "tago"] as const)[i % 4]!,
  deviceRef: `demo-well-${i + 1}`,
  variables: [{ variable: "flow", key: "flow", unit: "L/s" }],
  transport: "shadow",
}));

const base = (port: number, p = "") => `http://127.0.0.1:${port}${p}`;
const r = await seedDemo(getDb(), {
  wells,
  providerBaseUrls: { tdata: base(4011, "/tdata/v1"), tts: base(4012, "/api/v3"), thethingsio: base(4013, "/v2"), tago: base(4014) },
  providerCredentials: { tdata: { username: "demo", password: "demo-pass" }, tts: { apiKey: "NNSXS.DEMO" }, thethingsio: {}, tago: {} },
});
console.log(`demo seeded: ${r.clients} clients, ${r.points} points, ${r.users} users`);
await closeDb();
