import { parseUtcInstant } from "@/domain/providers/shared";
import type { TtsSimDevice } from "./tts";
import { rand, type WellSample } from "./wells";
import { deliveries, maxDeliveryLagSec, sampleValue, samplesForward } from "./well-samples";

const SESSION_DAYS = 9;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function ulid(ms: number, seed: number, n: number): string {
  let time = "";
  for (let v = ms, i = 0; i < 10; i++, v = Math.floor(v / 32)) time = CROCKFORD[v % 32]! + time;
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rand(seed, n, 100 + i) * 32)];
  return time + tail;
}

/** RFC 3339 with nanoseconds, as TTS writes it. */
function nanoIso(ms: number, seed: number, n: number): string {
  const extra = String(Math.floor(rand(seed, n, 99) * 1e6)).padStart(6, "0");
  return new Date(ms).toISOString().replace("Z", `${extra}Z`);
}

/** Sortable nanosecond key of an RFC 3339 string (null when unreadable). */
export function nanoKey(iso: string): bigint | null {
  const at = parseUtcInstant(iso);
  if (!at) return null;
  const frac = /\.(\d+)/.exec(iso)?.[1] ?? "";
  return BigInt(at.getTime()) * 1_000_000n + BigInt(frac.slice(3, 9).padEnd(6, "0"));
}

export interface TtsDelivery {
  receivedAt: string;
  key: bigint;
  up: Record<string, unknown>;
}

/** The ApplicationUp for one delivery of a sample; zero-valued f_cnt/f_port omitted like TTS does. */
export function buildUplink(device: TtsSimDevice, s: WellSample, copy: 0 | 1, at: Date): TtsDelivery {
  const w = device.well;
  const tSec = Math.floor(s.t.getTime() / 1000);
  const n = tSec * 2 + copy;
  const receivedAt = nanoIso(at.getTime(), w.seed, n);
  const sessionLen = SESSION_DAYS * 86400;
  const installSec = Math.floor(w.installedAt.getTime() / 1000);
  const session = Math.floor((tSec - installSec) / sessionLen);
  const fCnt = Math.floor((tSec - installSec - session * sessionLen) / w.stepSec);
  const decoded: Record<string, number | string> = {};
  for (const v of device.variables) decoded[v.key] = sampleValue(s, v.variable);
  decoded.battery_v = Math.round((3.3 + 0.4 * rand(w.seed, tSec, 50)) * 100) / 100;
  if (device.deviceTimeKey) decoded[device.deviceTimeKey] = tSec;
  const uplink: Record<string, unknown> = {
    session_key_id: Buffer.from(`${device.devEui}:${session}`).toString("base64").slice(0, 16) + "==",
    f_port: 10,
    frm_payload: Buffer.from(JSON.stringify(decoded)).toString("base64").slice(0, 24),
    // A payload formatter that throws (as.up.data.decode.fail) leaves no decoded_payload.
    ...(rand(w.seed, n, 53) < (device.decodeFailRate ?? 0) ? {} : { decoded_payload: decoded }),
    rx_metadata: [
      {
        gateway_ids: { gateway_id: "gw-fundo-norte", eui: "AC1F09FFFE0A1B2C" },
        rssi: -100 - Math.round(rand(w.seed, n, 51) * 20),
        snr: Math.round(rand(w.seed, n, 52) * 100) / 10 - 3,
        channel_index: 3,
      },
    ],
    settings: {
      data_rate: { lora: { bandwidth: 125000, spreading_factor: 10 } },
      coding_rate: "4/5",
      frequency: "916800000",
    },
    received_at: nanoIso(at.getTime() - 180, w.seed, n + 1),
    consumed_airtime: "0.370688s",
    network_ids: { net_id: "000013", tenant_id: "ttn", cluster_id: "au1" },
  };
  if (fCnt > 0) uplink.f_cnt = fCnt;
  const up = {
    end_device_ids: {
      device_id: device.deviceId,
      application_ids: { application_id: device.applicationId },
      dev_eui: device.devEui,
    },
    correlation_ids: [`gs:uplink:${ulid(at.getTime() - 500, w.seed, n)}`, `as:up:${ulid(at.getTime(), w.seed, n + 7)}`],
    received_at: receivedAt,
    uplink_message: uplink,
  };
  return { receivedAt, key: nanoKey(receivedAt)!, up };
}

/** Uplinks of one device received in [after, before] (nanosecond keys, inclusive), oldest first. */
export function deviceUplinks(device: TtsSimDevice, after: bigint | null, before: bigint): TtsDelivery[] {
  const ms = (k: bigint) => new Date(Number(k / 1_000_000n));
  const from =
    after === null ? device.well.installedAt : new Date(ms(after).getTime() - maxDeliveryLagSec(device.well) * 1000);
  const out: TtsDelivery[] = [];
  for (const s of samplesForward(device.well, from, ms(before))) {
    for (const d of deliveries(s)) {
      const u = buildUplink(device, s, d.copy, d.at);
      if ((after === null || u.key >= after) && u.key <= before) out.push(u);
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
