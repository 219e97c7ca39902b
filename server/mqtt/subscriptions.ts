import type { MqttClient } from "mqtt";
import type { ProviderKind } from "@/domain/providers/types";
import { getDb } from "@/server/db";
import { getLogger } from "@/server/logger";
import type { AcceptOutcome } from "@/server/ingest/accept";
import { mqttAccountOf, subscribe, topicsFor, type MqttAccount } from "./subscriber";

const RESYNC_MS = 60_000;

/**
 * Keeps one MQTT subscription per active account with settings.mqtt (TTS v3 uplinks, Novus
 * LogBox channels). Accounts are re-read every minute: new ones connect, changed or removed ones
 * reconnect or close.
 */
export async function startMqttSubscriptions(
  opts: { resyncMs?: number; onStored?: (o: AcceptOutcome, topic: string) => void } = {},
) {
  const log = getLogger().child({ worker: "mqtt" });
  const live = new Map<number, { sig: string; client: MqttClient }>();
  const sync = async () => {
    const rows = await getDb().providerAccount.findMany({
      where: { active: true },
      select: { id: true, kind: true, baseUrl: true, credentialsEnc: true, settings: true },
    });
    const wanted = new Map<number, MqttAccount>();
    for (const r of rows) {
      try {
        const a = mqttAccountOf({ ...r, kind: r.kind as ProviderKind });
        if (a) wanted.set(a.id, a);
      } catch (err) {
        log.error({ err, accountId: r.id }, "account skipped");
      }
    }
    for (const [id, s] of live) {
      const a = wanted.get(id);
      if (!a || JSON.stringify([a.settings, topicsFor(a), a.password]) !== s.sig) {
        s.client.end(true);
        live.delete(id);
      }
    }
    for (const [id, a] of wanted)
      if (!live.has(id))
        live.set(id, {
          sig: JSON.stringify([a.settings, topicsFor(a), a.password]),
          client: subscribe(a, opts.onStored),
        });
  };
  await sync();
  const timer = setInterval(
    () => void sync().catch((err: unknown) => log.error({ err }, "mqtt resync failed")),
    opts.resyncMs ?? RESYNC_MS,
  );
  return {
    accounts: () => [...live.keys()],
    connected: () => [...live.values()].every((s) => s.client.connected),
    close: async () => {
      clearInterval(timer);
      await Promise.all([...live.values()].map((s) => s.client.endAsync(true).catch(() => {})));
      live.clear();
    },
  };
}

/** Not a queue consumer: the worker host keeps it running as a service of the `mqtt` kind. */
export const mqttService = {
  start: async () => startMqttSubscriptions(),
};
