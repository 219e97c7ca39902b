import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/domain/auth/permissions";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch, type PipelineDeps } from "@/server/processing/pipeline";
import { insertTagoRaws, minuteSeries, seedTagoClient, tagoBody } from "@/server/processing/test-fixtures";
import { realtimeStreamResponse } from "./stream-request";

let deps: PipelineDeps;
beforeAll(async () => {
  await truncateAll();
  deps = {
    pool: getPgPool(),
    redis: getRedis(),
    prefix: process.env.REDIS_NAMESPACE!,
    bindings: new BindingCache(getPgPool(), 0),
  };
});
afterAll(closeAll);

const viewerOf = (clientId: number): Principal => ({
  kind: "user",
  id: 1,
  label: "viewer",
  staffRole: null,
  memberships: [{ clientId, role: "viewer" }],
});

/** Reads SSE frames (event name + parsed data) until `count` arrived or the timeout passes. */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, count: number, timeoutMs: number) {
  const events: { event: string; data: unknown }[] = [];
  const dec = new TextDecoder();
  let buf = "";
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now())),
    ]);
    if (!chunk || chunk.done) break;
    buf += dec.decode(chunk.value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
    }
  }
  return events;
}

describe("GET /api/v1/realtime/stream", () => {
  it("answers 401 without a principal", async () => {
    const res = await realtimeStreamResponse(getDb(), null, new Request("http://x/api/v1/realtime/stream"));
    expect(res.status).toBe(401);
  });

  it("streams a snapshot, then the latest values of visible clients within a second of processing", async () => {
    const a = await seedTagoClient(getDb(), { tag: "sse-a", points: 1 });
    const b = await seedTagoClient(getDb(), { tag: "sse-b", points: 1 });
    const t0 = new Date("2026-03-10T10:00:00Z");
    await processRawBatch(
      deps,
      await insertTagoRaws(getPgPool(), a.accountId, [tagoBody(minuteSeries(a.points[0]!.deviceRef, t0, 2))]),
    );

    const ctrl = new AbortController();
    const res = await realtimeStreamResponse(
      getDb(),
      viewerOf(a.clientId),
      new Request("http://x/api/v1/realtime/stream", { signal: ctrl.signal }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const [snapshot] = await readEvents(reader, 1, 5_000);
    expect(snapshot?.event).toBe("snapshot");
    expect((snapshot?.data as { pointId: number }[]).map((e) => e.pointId)).toEqual([a.points[0]!.pointId]);

    const t1 = new Date(t0.getTime() + 5 * 60_000);
    await processRawBatch(
      deps,
      await insertTagoRaws(getPgPool(), b.accountId, [tagoBody(minuteSeries(b.points[0]!.deviceRef, t1, 1))]),
    );
    await processRawBatch(
      deps,
      await insertTagoRaws(getPgPool(), a.accountId, [tagoBody(minuteSeries(a.points[0]!.deviceRef, t1, 1))]),
    );
    // processRawBatch publishes right after its commit; the event must reach the stream within a second of that.
    const started = Date.now();
    const events = await readEvents(reader, 1, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(events).toHaveLength(1);
    const ev = events[0]!.data as { clientId: number; pointId: number; values: Record<string, { ts: string }> };
    expect(ev.clientId).toBe(a.clientId);
    expect(ev.values.flow?.ts).toBe(t1.toISOString());
    ctrl.abort();
    await reader.cancel().catch(() => {});
  });
});
