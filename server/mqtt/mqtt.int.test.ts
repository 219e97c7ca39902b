import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/server/crypto";
import { getPgPool } from "@/server/pg";
import { closeQueues } from "@/server/queues/connection";
import type { AcceptOutcome } from "@/server/ingest/accept";
import { DEMO_FLEET, fleetFor } from "@/simulators/providers/fleet";
import { buildUplink } from "@/simulators/providers/tts-uplinks";
import { samplesForward } from "@/simulators/providers/well-samples";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { startMqttSubscriptions } from "./subscriptions";

/** Against the local Mosquitto (127.0.0.1:1883). Topics carry a per-run suffix so runs never cross. */
const BROKER = process.env.TEST_MQTT_URL ?? "mqtt://127.0.0.1:1883";
const run = Math.random().toString(36).slice(2, 8);
const app = `${DEMO_FLEET.accounts.tts.applicationId}-${run}`;
const sn = `LBX-${run}`;
let subs: Awaited<ReturnType<typeof startMqttSubscriptions>>;
const stored: { o: AcceptOutcome; topic: string }[] = [];
let ttsId = 0;
let novusId = 0;

const waitFor = async (n: number) => {
  for (let i = 0; i < 100 && stored.length < n; i++) await new Promise((r) => setTimeout(r, 100));
};

beforeAll(async () => {
  await truncateAll();
  const c = await getDb().client.create({ data: { name: "Cliente mqtt", rut: "76455593-7" } });
  ttsId = (
    await getDb().providerAccount.create({
      data: {
        clientId: c.id,
        kind: "tts",
        name: "TTS mqtt",
        baseUrl: "http://127.0.0.1:1/api/v3",
        credentialsEnc: encryptSecret(JSON.stringify({ apiKey: "NNSXS.TEST" })),
        settings: { mqtt: { url: BROKER, applicationId: app, tenant: "ttn" } },
      },
    })
  ).id;
  novusId = (
    await getDb().providerAccount.create({
      data: {
        clientId: c.id,
        kind: "custom",
        name: "Novus LogBox",
        baseUrl: "http://127.0.0.1:1",
        settings: {
          mqtt: { url: BROKER, topics: [`novus/+/status/channels`, `novus/+/log/channels`] },
          customMapping: {
            itemsPath: "$",
            tsPath: "timestamp",
            tsFormat: "s",
            fields: [
              { key: "pulses", valuePath: "value_channels[0]" },
              { key: "level_m", valuePath: "value_channels[1]" },
            ],
          },
        },
      },
    })
  ).id;
  subs = await startMqttSubscriptions({ onStored: (o, topic) => stored.push({ o, topic }) });
  for (let i = 0; i < 50 && !subs.connected(); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300)); // SUBACK
});
afterAll(async () => {
  await subs.close();
  await closeQueues();
  await closeAll();
});

describe("mqtt subscriber (local Mosquitto)", () => {
  it("stores TTS v3 uplinks and Novus LogBox frames raw and enqueues them; malformed frames are kept as rejected", async () => {
    expect(subs.accounts().sort()).toEqual([ttsId, novusId].sort());
    const pub = await mqtt.connectAsync(BROKER, { protocolVersion: 4 });
    const d = { ...fleetFor("tts")[0]!, applicationId: app };
    const s = [...samplesForward(d.well, new Date("2025-03-10T10:00:00Z"), new Date("2025-03-10T11:00:00Z"))][0]!;
    await pub.publishAsync(`v3/${app}@ttn/devices/${d.deviceId}/up`, JSON.stringify(buildUplink(d, s, 0, s.t).up));
    await pub.publishAsync(
      `novus/${sn}/status/channels`,
      JSON.stringify({ n_channels: 2, timestamp: 1741600800, battery: 3.6, value_channels: [3092311, 41.27] }),
    );
    await pub.publishAsync(`novus/${sn}/log/channels`, "{not json");
    await pub.publishAsync(`v3/other-app@ttn/devices/x/up`, "{}"); // not subscribed
    await pub.endAsync();
    await waitFor(3);
    expect(stored.map((x) => x.o.kind).sort()).toEqual(["accepted", "accepted", "rejected"]);
    const rows = await getPgPool().query<{
      provider: string;
      transport: string;
      status: string;
      headers: Record<string, string>;
      error: string | null;
    }>("SELECT provider, transport, status, headers, error FROM raw_payload ORDER BY id");
    expect(rows.rows).toHaveLength(3);
    expect(rows.rows.every((r) => r.transport === "mqtt")).toBe(true);
    const novus = rows.rows.find((r) => r.headers["x-mqtt-topic"] === `novus/${sn}/status/channels`)!;
    expect(novus).toMatchObject({ provider: "custom", status: "accepted" });
    expect(novus.headers["x-sh-device-ref"]).toBe(sn);
    expect(rows.rows.find((r) => r.status === "rejected")!.error).toMatch(/not valid JSON/);
  });
});
