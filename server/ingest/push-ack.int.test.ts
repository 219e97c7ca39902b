import { afterAll, beforeAll, describe, expect, it } from "vitest";
import simulated from "@/domain/__fixtures__/providers/tts-uplink-simulated.json";
import type { Principal } from "@/domain/auth/permissions";
import { operations } from "@/server/api/operations";
import { runOperation } from "@/server/api/run-operation";
import { metrics } from "@/server/metrics/registry";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { closeQueues } from "@/server/queues/connection";
import { seedAccount, seedClient, seedWellBinding } from "@/server/integrations/providers/test-db-seed";
import { DEMO_FLEET, fleetFor } from "@/simulators/providers/fleet";
import { tagoRecords } from "@/simulators/providers/tago";
import { buildUplink } from "@/simulators/providers/tts-uplinks";
import { samplesForward } from "@/simulators/providers/well-samples";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch } from "@/server/processing/pipeline";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { handlePush, type PushKind } from "./push";
import { clearPushAccountCache } from "./push-auth";

const TTS_SECRET = DEMO_FLEET.accounts.tts.webhookSecret;
const TAGO_SECRET = DEMO_FLEET.accounts.tago.actionSecret;
const staff: Principal = { kind: "user", id: 1, label: "ops", staffRole: "operator", memberships: [] };
let tts = 0;
let tago = 0;

const post = (kind: PushKind, accountId: number, body: unknown, secret: string) =>
  handlePush(
    kind,
    String(accountId),
    new Request(`http://x/api/v1/ingest/${kind}/${accountId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": secret },
      body: JSON.stringify(body),
    }),
  );
const rejectedCount = async (account: number, reason: string) =>
  (await metrics.ingestRejected.get()).values.find(
    (v) => v.labels.account === String(account) && v.labels.reason === reason,
  )?.value ?? 0;

const ttsWell = fleetFor("tts")[0]!;
const sample = [
  ...samplesForward(ttsWell.well, new Date("2026-11-10T10:00:00Z"), new Date("2026-11-10T11:00:00Z")),
][0]!;
const realUplink = () =>
  structuredClone(buildUplink(ttsWell, sample, 0, new Date(sample.t.getTime() + 4_000)).up) as Record<
    string,
    unknown
  > & { uplink_message: Record<string, unknown> };

beforeAll(async () => {
  await truncateAll();
  clearPushAccountCache();
  const c = await seedClient(getDb(), "ack");
  tts = (await seedAccount(getDb(), c.id, "tts", "http://127.0.0.1:1/api/v3", { pushSecret: TTS_SECRET })).id;
  tago = (await seedAccount(getDb(), c.id, "tago", "http://127.0.0.1:1", { pushSecret: TAGO_SECRET })).id;
  await seedWellBinding(getDb(), c.id, tts, ttsWell);
  await seedWellBinding(getDb(), c.id, tago, fleetFor("tago")[0]!);
});
afterAll(async () => {
  await closeQueues();
  await closeAll();
});

describe("push acknowledgement policy (TTS disables webhooks that keep failing)", () => {
  it("a well-formed uplink without a reading is 202 'ignored', kept raw with its reason and counted per account", async () => {
    const decodeFail = realUplink();
    delete decodeFail.uplink_message.decoded_payload;
    const join = {
      end_device_ids: {
        device_id: ttsWell.deviceId,
        application_ids: { application_id: ttsWell.applicationId },
        dev_eui: ttsWell.devEui,
      },
      correlation_ids: ["as:up:01JD8Q3W5Z9V0JOIN000000000"],
      received_at: "2026-11-10T09:58:01.118231Z",
      join_accept: { session_key_id: "AZN1tE3kYq0vTQ==", received_at: "2026-11-10T09:58:01.002Z" },
    };
    const before = await rejectedCount(tts, "decode_failed");
    const cases: [unknown, string][] = [
      [decodeFail, "decode_failed"],
      [simulated, "simulated"],
      [join, "not_uplink"],
    ];
    for (const [body, reason] of cases) {
      const res = await post("tts", tts, body, TTS_SECRET);
      expect(res.status, reason).toBe(202);
      expect(await res.json()).toMatchObject({ status: "ignored", reason });
    }
    expect(await rejectedCount(tts, "decode_failed")).toBe(before + 1);
    const rows = await getPgPool().query<{ status: string; reason_code: string; error: string }>(
      "SELECT status, reason_code, error FROM raw_payload WHERE account_id = $1 ORDER BY id",
      [tts],
    );
    expect(rows.rows.map((r) => [r.status, r.reason_code])).toEqual([
      ["rejected", "decode_failed"],
      ["rejected", "simulated"],
      ["rejected", "not_uplink"],
    ]);
    expect(rows.rows[0]!.error).toMatch(/no decoded_payload/);
  });

  it("a Tago action whose records are all unusable is 202 'ignored'; records of an unknown device are kept and listed as unknown_device", async () => {
    const s = [
      ...samplesForward(fleetFor("tago")[0]!.well, new Date("2026-11-10T10:00:00Z"), new Date("2026-11-10T10:10:00Z")),
    ][0]!;
    const good = tagoRecords(fleetFor("tago")[0]!, s, 0, new Date(s.t.getTime() + 2_000));
    const noTime = good.map(({ time: _t, ...r }) => r);
    const res = await post("tago", tago, noTime, TAGO_SECRET);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "ignored", reason: "invalid_records" });

    const stranger = good.map((r) => ({ ...r, device: "64f1c2aa55e1a0000912dead" }));
    const ok = await post("tago", tago, stranger, TAGO_SECRET);
    expect(ok.status).toBe(202);
    const { rawId } = (await ok.json()) as { rawId: string };
    await processRawBatch(
      { pool: getPgPool(), redis: getRedis(), prefix: "ack", bindings: new BindingCache(getPgPool(), 0) },
      [rawId],
    );
    const raw = await getPgPool().query<{ status: string; reason_code: string }>(
      "SELECT status, reason_code FROM raw_payload WHERE id = $1",
      [rawId],
    );
    expect(raw.rows[0]).toEqual({ status: "rejected", reason_code: "unknown_device" });
    expect(await rejectedCount(tago, "unknown_device")).toBe(1);

    const list = (await runOperation(operations.providers.rejectedPayloads, getDb(), staff, { id: tago })) as {
      items: { reason: string; bodyPreview: string }[];
      countsByReason: Record<string, number>;
    };
    expect(list.items.map((i) => i.reason)).toEqual(["unknown_device", "invalid_records"]);
    expect(list.items[0]!.bodyPreview).toContain("64f1c2aa55e1a0000912dead");
    expect(list.countsByReason).toEqual({ unknown_device: 1, invalid_records: 1 });
  });

  it("only bodies that are not the provider's message are refused (400)", async () => {
    const res = await post("tts", tts, { hello: "world" }, TTS_SECRET);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "INVALID_PAYLOAD", reason: "invalid_envelope" } });
  });
});
