import { randomBytes } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import { compileCustomMapping, type CustomMappingConfig } from "@/domain/providers/custom";
import type { TtsParseOptions } from "@/domain/providers/tts";
import type { ProviderKind } from "@/domain/providers/types";
import { acceptPayload, type AcceptOutcome } from "@/server/ingest/accept";
import type { ParseContext } from "@/domain/providers";
import { providersConfig } from "@/server/integrations/providers/config";
import { accountCtx } from "@/server/integrations/providers/load";
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";

/** ProviderAccount.settings.mqtt: where and what to subscribe. Credentials: `mqttPassword`, else the TTS `apiKey`. */
interface MqttSettings {
  url: string;
  username?: string;
  /** Defaults per kind from providers.yaml (`{app}`/`{tenant}` filled from the fields below). */
  topics?: string[];
  applicationId?: string;
  tenant?: string;
  /** Topic segment holding the device reference (Novus: novus/<sn>/… → 1). */
  deviceRefSegment?: number;
  qos?: 0 | 1;
}

export interface MqttAccount {
  id: number;
  kind: ProviderKind;
  settings: MqttSettings;
  password: string | undefined;
  parse: Omit<ParseContext, "deviceRef">;
}

export function topicsFor(a: MqttAccount): string[] {
  const s = a.settings;
  const list = s.topics?.length ? s.topics : providersConfig().kinds[a.kind].mqttTopics;
  return list.map((t) => t.replaceAll("{app}", s.applicationId ?? "").replaceAll("{tenant}", s.tenant ?? "ttn"));
}

function deviceRefFromTopic(a: MqttAccount, topic: string): string {
  const seg = a.settings.deviceRefSegment ?? (topic.startsWith("novus/") ? 1 : undefined);
  return seg === undefined ? "" : (topic.split("/")[seg] ?? "");
}

/** Account row → subscription, or null when settings.mqtt is absent or unusable. */
export function mqttAccountOf(row: {
  id: number;
  kind: ProviderKind;
  baseUrl: string;
  credentialsEnc: string | null;
  settings: unknown;
}): MqttAccount | null {
  const ctx = accountCtx(row);
  const m = ctx.settings.mqtt as MqttSettings | undefined;
  if (!m || typeof m.url !== "string") return null;
  let custom: ParseContext["custom"];
  if (ctx.settings.customMapping) {
    try {
      custom = compileCustomMapping(ctx.settings.customMapping as CustomMappingConfig);
    } catch {
      custom = undefined; // payloads are then kept raw as rejected with the reason
    }
  }
  const username = m.username ?? (m.applicationId ? `${m.applicationId}@${m.tenant ?? "ttn"}` : undefined);
  return {
    id: ctx.id,
    kind: ctx.kind,
    settings: { ...m, username },
    password: ctx.credentials.mqttPassword ?? ctx.credentials.apiKey,
    parse: { tts: ctx.settings.tts as TtsParseOptions | undefined, custom },
  };
}

/** One connection per account; every message is stored raw and enqueued like a webhook. */
export function subscribe(a: MqttAccount, onStored?: (o: AcceptOutcome, topic: string) => void): MqttClient {
  const log = getLogger().child({ worker: "mqtt", accountId: a.id, kind: a.kind });
  const client = mqtt.connect(a.settings.url, {
    username: a.settings.username,
    password: a.password,
    clientId: `sh-${a.id}-${randomBytes(4).toString("hex")}`,
    protocolVersion: 4,
    reconnectPeriod: 5_000,
    connectTimeout: 10_000,
    clean: true,
  });
  const topics = topicsFor(a);
  client.on("connect", () => {
    client.subscribe(topics, { qos: a.settings.qos ?? 0 }, (err) =>
      err ? log.error({ err, topics }, "subscribe failed") : log.info({ topics }, "subscribed"),
    );
  });
  client.on("error", (err) => log.warn({ err: err.message }, "mqtt error"));
  client.on("message", (topic, payload) => {
    if (payload.byteLength > env().INGEST_MAX_BYTES) {
      log.warn({ topic, bytes: payload.byteLength }, "mqtt message too large, dropped");
      return;
    }
    acceptPayload({
      provider: a.kind,
      accountId: a.id,
      transport: "mqtt",
      body: payload.toString("utf8"),
      headers: { "x-mqtt-topic": topic },
      parseContext: { ...a.parse, deviceRef: deviceRefFromTopic(a, topic) },
    })
      .then((o) => onStored?.(o, topic))
      .catch((err: unknown) => log.error({ err, topic }, "could not store mqtt message"));
  });
  return client;
}
