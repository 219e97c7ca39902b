import { DEMO_FLEET, demoFleetWithFaults, fleetFor } from "./fleet";
import type { SimHandle } from "./http-kit";
import { createTagoSimulator, sendAction, tagoActionBatches } from "./tago";
import { createTdataSimulator } from "./tdata";
import { createThethingsioSimulator } from "./thethingsio";
import { createTtsSimulator, sendUplinks } from "./tts";

const env = process.env;
const HOST = env.SIM_HOST ?? "127.0.0.1";
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);

/** Starts the four provider simulators with the demo fleet; optionally pushes TTS uplinks and Tago actions. */
export async function startProviderSimulators(): Promise<{ close(): Promise<void>; urls: Record<string, string> }> {
  // SIM_FAULTS=off runs the fleet without its injected faults (all wells normal).
  const fleet = env.SIM_FAULTS === "off" ? DEMO_FLEET : demoFleetWithFaults(new Date());
  const sims: [string, SimHandle, number][] = [
    [
      "tdata",
      createTdataSimulator({
        users: [{ username: fleet.accounts.tdata.username, password: fleet.accounts.tdata.password }],
        devices: fleetFor("tdata", fleet),
      }),
      port("SIM_TDATA_PORT", 4011),
    ],
    [
      "tts",
      createTtsSimulator({
        apiKeys: [{ key: fleet.accounts.tts.apiKey, applicationIds: [fleet.accounts.tts.applicationId] }],
        devices: fleetFor("tts", fleet),
      }),
      port("SIM_TTS_PORT", 4012),
    ],
    [
      "thethingsio",
      createThethingsioSimulator({ devices: fleetFor("thethingsio", fleet) }),
      port("SIM_THETHINGSIO_PORT", 4013),
    ],
    [
      "tago",
      createTagoSimulator({ devices: fleetFor("tago", fleet), rateLimitPerMinute: 250 }),
      port("SIM_TAGO_PORT", 4014),
    ],
  ];
  const urls: Record<string, string> = {};
  for (const [name, sim, p] of sims) urls[name] = (await sim.listen(p, HOST)).url;

  let timer: NodeJS.Timeout | null = null;
  const target = env.SIM_PUSH_TARGET;
  if (target) {
    const everyMs = Number(env.SIM_PUSH_INTERVAL_MS ?? 60_000);
    const ttsUrl = new URL(env.SIM_TTS_WEBHOOK_PATH ?? "/api/ingest/tts/nettra_tts", target).toString();
    const tagoUrl = new URL(env.SIM_TAGO_ACTION_PATH ?? "/api/ingest/tago", target).toString();
    let from = new Date();
    timer = setInterval(() => {
      const to = new Date();
      const window = [from, to] as const;
      from = to;
      void (async () => {
        const tts = await sendUplinks(
          ttsUrl,
          { authorization: `Bearer ${fleet.accounts.tts.webhookSecret}` },
          fleetFor("tts", fleet),
          ...window,
        );
        let tagoOk = 0;
        let tagoFailed = 0;
        for (const batch of tagoActionBatches(fleetFor("tago", fleet), ...window)) {
          const r = await sendAction(tagoUrl, { "x-tago-secret": fleet.accounts.tago.actionSecret }, batch);
          if (r.status >= 200 && r.status < 300) tagoOk++;
          else tagoFailed++;
        }
        console.log(`[sim push] tts sent=${tts.sent} failed=${tts.failed} tago sent=${tagoOk} failed=${tagoFailed}`);
      })();
    }, everyMs);
  }

  return {
    urls,
    close: async () => {
      if (timer) clearInterval(timer);
      await Promise.all(sims.map(([, sim]) => sim.close()));
    },
  };
}
