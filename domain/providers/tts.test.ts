import { describe, expect, it } from "vitest";
import fc from "fast-check";
import uplink from "@/domain/__fixtures__/providers/tts-uplink.json";
import minimal from "@/domain/__fixtures__/providers/tts-uplink-minimal.json";
import simulated from "@/domain/__fixtures__/providers/tts-uplink-simulated.json";
import storagePage from "@/domain/__fixtures__/providers/tts-storage-page.json";
import rateLimited from "@/domain/__fixtures__/providers/tts-error-rate-limited.json";
import {
  parseTtsErrorBody,
  parseTtsStorageStream,
  parseTtsUplink,
  ttsNextPage,
  ttsStorageUrl,
  ttsUplinkId,
} from "./tts";

const ndjson = (ups: unknown[]) => ups.map((u) => JSON.stringify({ result: u })).join("\n") + "\n";
const sse = (ups: unknown[]) => ups.map((u) => JSON.stringify({ result: u })).join("\n\n") + "\n\n";

describe("parseTtsUplink", () => {
  it("flattens decoded_payload into one reading per key, dated by top-level received_at", () => {
    const r = parseTtsUplink(uplink);
    expect(r.rejected).toEqual([]);
    expect(r.readings.map((x) => x.key)).toEqual([
      "flow_ls",
      "flow_m3h",
      "pulses",
      "totalizer_m3",
      "level_m",
      "battery_v",
    ]);
    expect(r.readings[0]).toMatchObject({
      deviceRef: "smarthydro-nettra/nettra-rtu-pozo-07",
      rawValue: 12.4,
      sourceId: "as:up:01HZX3K7Q4ZP8M2V5T9C1B6N0D",
    });
    expect(r.readings[0]!.measuredAt.toISOString()).toBe("2025-03-10T14:00:07.512Z");
    expect(r.readings[0]!.receivedAt!.toISOString()).toBe("2025-03-10T14:00:07.512Z");
  });

  it("tolerates omitted zero fields, keeps zero values in the payload and uses the device time key", () => {
    const r = parseTtsUplink(minimal, { deviceTimeKey: "ts" });
    expect(r.rejected).toEqual([]);
    expect(r.readings.map((x) => [x.key, x.rawValue])).toEqual([
      ["flow_ls", 0],
      ["pulses", 0],
      ["level_m", 38.9],
      ["status", "ok"],
      ["meter.total_l", 0],
    ]);
    expect(r.readings[0]!.measuredAt.toISOString()).toBe("2025-03-10T16:00:00.000Z");
    expect(r.readings[0]!.receivedAt!.toISOString()).toBe("2025-03-10T16:10:02.118Z");
    expect(r.readings[0]!.sourceId).toBe("70B3D57ED005A1C4:BXk9f2Lq0p7sZw==:0");
  });

  it("falls back to received_at when the configured device time key is absent or unreadable", () => {
    const withBadTs = structuredClone(minimal);
    withBadTs.uplink_message.decoded_payload.ts = "yesterday" as unknown as number;
    expect(parseTtsUplink(withBadTs, { deviceTimeKey: "ts" }).readings[0]!.measuredAt.toISOString()).toBe(
      "2025-03-10T16:10:02.118Z",
    );
    expect(parseTtsUplink(uplink, { deviceTimeKey: "ts" }).readings[0]!.measuredAt.toISOString()).toBe(
      "2025-03-10T14:00:07.512Z",
    );
  });

  it("filters to the bound keys, keeps status texts as readings and rejects missing ones", () => {
    const r = parseTtsUplink(minimal, { keys: ["flow_ls", "status", "level_cm"] });
    expect(r.readings.map((x) => [x.key, x.rawValue])).toEqual([
      ["flow_ls", 0],
      ["status", "ok"],
    ]);
    expect(r.rejected.map((x) => x.reason)).toEqual(["level_cm: missing from decoded_payload"]);
  });

  it("drops simulated uplinks and rejects bodies it cannot use, without throwing", () => {
    expect(parseTtsUplink(simulated).rejected[0]!.reason).toMatch(/simulated/);
    expect(parseTtsUplink({ ...uplink, uplink_message: undefined }).rejected[0]!.reason).toBe("not an uplink_message");
    const noDecode = structuredClone(uplink) as { uplink_message: Record<string, unknown> };
    delete noDecode.uplink_message.decoded_payload;
    expect(parseTtsUplink(noDecode).rejected[0]!.reason).toMatch(/no decoded_payload/);
    expect(parseTtsUplink({ ...uplink, received_at: "2025-03-10 14:00" }).rejected[0]!.reason).toMatch(/received_at/);
    expect(parseTtsUplink("{not json").rejected[0]!.reason).toMatch(/not an ApplicationUp/);
    expect(parseTtsUplink({ payload_fields: { flow: 1 } }).rejected[0]!.reason).toMatch(/end_device_ids/);
  });

  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const r = parseTtsUplink(body);
        expect(r.readings.length + r.rejected.length).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("parseTtsStorageStream", () => {
  it("parses NDJSON and SSE identically", () => {
    const a = parseTtsStorageStream(ndjson(storagePage));
    const b = parseTtsStorageStream(sse(storagePage));
    expect(a.readings).toHaveLength(9);
    expect(b).toEqual(a);
    expect(a.messages).toBe(3);
    expect(a.lastReceivedAt).toBe("2025-03-10T14:30:06.870000000Z");
    expect(a.boundaryIds).toEqual(["as:up:01HZX3K7Q4ZP8M2V5T9C1B6N0C"]);
  });

  it("accepts SSE data: prefixes and CRLF", () => {
    const text = storagePage.map((u) => `data: ${JSON.stringify({ result: u })}`).join("\r\n\r\n");
    expect(parseTtsStorageStream(text).messages).toBe(3);
  });

  it("flags a mid-stream error and keeps what came before", () => {
    const text =
      ndjson(storagePage.slice(0, 2)) +
      JSON.stringify({ error: { grpc_code: 14, http_code: 503, message: "storage unavailable" } }) +
      "\n";
    const r = parseTtsStorageStream(text);
    expect(r.messages).toBe(2);
    expect(r.streamError).toEqual({ code: 14, message: "storage unavailable" });
  });

  it("rejects garbage lines and results individually", () => {
    const text = `${JSON.stringify({ result: storagePage[0] })}\n{broken\n[1]\n{"foo":1}\n${JSON.stringify({ result: { nope: true } })}\n`;
    const r = parseTtsStorageStream(text);
    expect(r.readings).toHaveLength(3);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2, 3, 4]);
    expect(r.messages).toBe(2);
  });

  it("dedupes the boundary of the previous page", () => {
    const r = parseTtsStorageStream(ndjson(storagePage), { excludeIds: ["as:up:01HZX3K7Q4ZP8M2V5T9C1B6N0A"] });
    expect(r.readings).toHaveLength(6);
    expect(r.messages).toBe(3);
  });

  it("handles an empty stream", () => {
    expect(parseTtsStorageStream("")).toMatchObject({
      readings: [],
      messages: 0,
      lastReceivedAt: null,
      streamError: null,
    });
  });
});

describe("ttsNextPage", () => {
  const page = parseTtsStorageStream(ndjson(storagePage));
  it("continues after the last received_at verbatim when the page is full", () => {
    expect(ttsNextPage(3, page)).toEqual({
      done: false,
      after: "2025-03-10T14:30:06.870000000Z",
      excludeIds: ["as:up:01HZX3K7Q4ZP8M2V5T9C1B6N0C"],
    });
  });
  it("stops on a short page and on a page that cannot advance", () => {
    expect(ttsNextPage(4, page)).toEqual({ done: true });
    expect(ttsNextPage(3, page, "2025-03-10T14:30:06.870000000Z")).toEqual({ done: true, stalled: true });
  });
});

describe("tts helpers", () => {
  it("builds device and application storage URLs", () => {
    const url = new URL(
      ttsStorageUrl("https://au1.cloud.thethings.network/api/v3", "app", "dev", {
        limit: 500,
        after: new Date("2025-03-10T14:00:00Z"),
      }),
    );
    expect(url.pathname).toBe("/api/v3/as/applications/app/devices/dev/packages/storage/uplink_message");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: "500",
      after: "2025-03-10T14:00:00.000Z",
      order: "received_at",
    });
    expect(ttsStorageUrl("http://h/api/v3", "app", null, { limit: 1, order: "-received_at" })).toBe(
      "http://h/api/v3/as/applications/app/packages/storage/uplink_message?limit=1&order=-received_at",
    );
  });
  it("reads gRPC error bodies", () => {
    expect(parseTtsErrorBody(rateLimited)).toMatchObject({ code: 8, name: "rate_limit_exceeded" });
    expect(parseTtsErrorBody("upstream connect error")).toEqual({
      code: null,
      name: null,
      message: "upstream connect error",
    });
  });
  it("ids uplinks by as:up correlation id, else dev_eui/session/f_cnt", () => {
    expect(ttsUplinkId(uplink)).toBe("as:up:01HZX3K7Q4ZP8M2V5T9C1B6N0D");
  });
});
