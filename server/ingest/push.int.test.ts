import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { processRawJob } from "@/server/processing/jobs";
import { seedAccount, seedClient, seedWellBinding } from "@/server/integrations/providers/test-db-seed";
import { DEMO_FLEET, fleetFor } from "@/simulators/providers/fleet";
import { sendAction, tagoActionBatches } from "@/simulators/providers/tago";
import { sendUplinks } from "@/simulators/providers/tts";
import { buildUplink } from "@/simulators/providers/tts-uplinks";
import { samplesForward } from "@/simulators/providers/well-samples";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch } from "@/server/processing/pipeline";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { handlePush, type PushKind } from "./push";

const TTS_SECRET = DEMO_FLEET.accounts.tts.webhookSecret;
const TAGO_SECRET = DEMO_FLEET.accounts.tago.actionSecret;
let tts = 0;
let tago = 0;
let server: Server;
let base = "";

/** The route handlers over node:http, as `next start` would serve them. */
async function serve() {
  server = createServer((req, res) => {
    void (async () => {
      const m = /^\/api\/v1\/ingest\/(tts|tago)\/([^/?]+)/.exec(req.url ?? "");
      if (!m) return void res.writeHead(404).end();
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const request = new Request(`http://x${req.url}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      const out = await handlePush(m[1] as PushKind, m[2]!, request);
      res.writeHead(out.status, Object.fromEntries(out.headers.entries())).end(await out.text());
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/ingest`;
}

const post = (kind: PushKind, accountId: number | string, body: string, headers: Record<string, string>) =>
  handlePush(
    kind,
    String(accountId),
    new Request(`http://x/api/v1/ingest/${kind}/${accountId}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
  );
const rawCount = async (accountId: number) =>
  Number(
    (await getPgPool().query<{ n: string }>("SELECT count(*) n FROM raw_payload WHERE account_id = $1", [accountId]))
      .rows[0]!.n,
  );

beforeAll(async () => {
  await truncateAll();
  const c = await seedClient(getDb(), "push");
  tts = (await seedAccount(getDb(), c.id, "tts", "http://127.0.0.1:1/api/v3", { pushSecret: TTS_SECRET })).id;
  tago = (await seedAccount(getDb(), c.id, "tago", "http://127.0.0.1:1", { pushSecret: TAGO_SECRET })).id;
  for (const w of fleetFor("tts").slice(0, 2)) await seedWellBinding(getDb(), c.id, tts, w);
  for (const w of fleetFor("tago").slice(0, 2)) await seedWellBinding(getDb(), c.id, tago, w);
  await serve();
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await closeQueues();
  await closeAll();
});

const uplink = () => {
  const d = fleetFor("tts")[0]!;
  const s = [...samplesForward(d.well, new Date("2025-03-10T10:00:00Z"), new Date("2025-03-10T11:00:00Z"))][0]!;
  return JSON.stringify(buildUplink(d, s, 0, new Date(s.t.getTime() + 5_000)).up);
};

describe("push ingest", () => {
  it("wrong, missing or misplaced secrets → 401 and nothing stored", async () => {
    const body = uplink();
    for (const [kind, id, headers] of [
      ["tts", tts, {}],
      ["tts", tts, { authorization: "Bearer nope" }],
      ["tts", tts, { "x-webhook-secret": TAGO_SECRET }],
      ["tago", tts, { "x-webhook-secret": TTS_SECRET }],
      ["tts", 999_999, { "x-webhook-secret": TTS_SECRET }],
      ["tts", "abc", { "x-webhook-secret": TTS_SECRET }],
    ] as const) {
      const res = await post(kind, id, body, headers);
      expect(res.status, `${kind}/${id}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    }
    expect(await rawCount(tts)).toBe(0);
    expect(await rawCount(tago)).toBe(0);
  });

  it("accepts a TTS uplink with either header, stores it raw and enqueues it; a retry is a duplicate", async () => {
    const body = uplink();
    const res = await post("tts", tts, body, { "x-webhook-secret": TTS_SECRET });
    expect(res.status).toBe(202);
    const out = (await res.json()) as { status: string; rawId: string; readings: number };
    expect(out).toMatchObject({ status: "accepted" });
    expect(out.readings).toBeGreaterThan(2);
    expect(await getQueue(processRawJob.queue).getJob(`raw-${out.rawId}-1`)).toBeTruthy();
    const again = await post("tts", tts, body, { authorization: `Bearer ${TTS_SECRET}`, "x-tts-domain": "retry" });
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ status: "duplicate", rawId: out.rawId });
    const rows = await getPgPool().query("SELECT transport, status, headers FROM raw_payload WHERE account_id = $1", [
      tts,
    ]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ transport: "push", status: "accepted" });
    expect(JSON.stringify(rows.rows[0].headers)).not.toContain(TTS_SECRET);
  });

  it("unparseable bodies → 400 with a clear reason, kept raw as rejected, never processed", async () => {
    const bad = await post("tago", tago, '[{"variable":"caudal","value":1', { "x-webhook-secret": TAGO_SECRET });
    expect(bad.status).toBe(400);
    const b = (await bad.json()) as { error: { code: string; message: string; rawId: string; reason: string } };
    expect(b.error).toMatchObject({ message: expect.stringMatching(/not valid JSON/) as string, reason: "not_json" });
    const ttsBad = await post("tts", tts, JSON.stringify({ end_device_ids: { device_id: "x" } }), {
      "x-webhook-secret": TTS_SECRET,
    });
    expect(ttsBad.status).toBe(400);
    expect(((await ttsBad.json()) as { error: { message: string } }).error.message).toMatch(/not an ApplicationUp/);
    const rows = await getPgPool().query<{ status: string; reason_code: string; body: string }>(
      "SELECT status, reason_code, body FROM raw_payload WHERE status = 'rejected' ORDER BY id",
    );
    expect(rows.rows.map((r) => [r.status, r.reason_code])).toEqual([
      ["rejected", "not_json"],
      ["rejected", "invalid_envelope"],
    ]);
    expect(rows.rows[0]!.body).toBe('[{"variable":"caudal","value":1');
    expect(await getQueue(processRawJob.queue).getJob(`raw-${b.error.rawId}-1`)).toBeUndefined();
  });

  it("oversized bodies → 413 and nothing stored", async () => {
    const before = await rawCount(tago);
    const huge = JSON.stringify([
      { variable: "caudal", value: 1, time: "2025-03-10T10:00:00Z", metadata: { pad: "x".repeat(1_100_000) } },
    ]);
    const res = await post("tago", tago, huge, { "x-webhook-secret": TAGO_SECRET });
    expect(res.status).toBe(413);
    expect(await rawCount(tago)).toBe(before);
  });

  it("the simulators' senders (TTS webhook, Tago action with retries) → raw once per body, no duplicate measurements", async () => {
    const from = new Date("2025-03-10T06:00:00Z");
    const to = new Date("2025-03-10T09:00:00Z");
    const t = await sendUplinks(
      `${base}/tts/${tts}`,
      { authorization: `Bearer ${TTS_SECRET}` },
      fleetFor("tts").slice(0, 2),
      from,
      to,
    );
    expect(t.failed).toBe(0);
    const batches = tagoActionBatches(fleetFor("tago").slice(0, 2), from, to);
    for (const batch of batches)
      expect((await sendAction(`${base}/tago/${tago}`, { "x-tago-secret": TAGO_SECRET }, batch)).status).toBe(202);
    // Tago retries the first three actions (attempt 2): duplicates, not new work.
    for (const batch of batches.slice(0, 3))
      expect((await sendAction(`${base}/tago/${tago}`, { "x-tago-secret": TAGO_SECRET }, batch, 2)).status).toBe(202);
    const accepted = await getPgPool().query<{ id: string }>(
      "SELECT id::text FROM raw_payload WHERE status = 'accepted' AND account_id = ANY($1) ORDER BY id",
      [[tts, tago]],
    );
    // A few simulated uplinks fail their payload formatter: acknowledged (sent) but kept as rejected.
    const decodeFailed = Number(
      (
        await getPgPool().query<{ n: string }>(
          "SELECT count(*) n FROM raw_payload WHERE reason_code = 'decode_failed' AND account_id = $1",
          [tts],
        )
      ).rows[0]!.n,
    );
    expect(accepted.rows.length + decodeFailed).toBe(t.sent + 1 + batches.length);
    await processRawBatch(
      { pool: getPgPool(), redis: getRedis(), prefix: "t", bindings: new BindingCache(getPgPool(), 0) },
      accepted.rows.map((r) => r.id),
    );
    const m = await getPgPool().query<{ n: string; d: string }>(
      "SELECT count(*) n, count(DISTINCT (point_id, variable, ts)) d FROM measurement",
    );
    expect(Number(m.rows[0]!.n)).toBeGreaterThan(100);
    expect(m.rows[0]!.n).toBe(m.rows[0]!.d);
  });
});
