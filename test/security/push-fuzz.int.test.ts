import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlePush } from "@/server/ingest/push";
import { sha256 } from "@/server/crypto";
import { getPgPool } from "@/server/pg";
import { closeAll, getDb, truncateAll } from "@/test/db";

const SECRET = "push-fuzz-secret-0123456789";
let accounts: { tts: number; tago: number };

beforeAll(async () => {
  await truncateAll();
  const db = getDb();
  const mk = (kind: "tts" | "tago") =>
    db.providerAccount.create({
      data: { kind, name: `fuzz ${kind}`, baseUrl: "http://127.0.0.1:1", pushSecretHash: sha256(SECRET) },
    });
  accounts = { tts: (await mk("tts")).id, tago: (await mk("tago")).id };
});
afterAll(closeAll);

const jsonish = fc.oneof(
  fc.json(),
  fc.string(),
  fc.constant(""),
  fc.constant('[{"variable":"caudal","value":"x","time":"nope"}]'),
  fc.constant('{"end_device_ids":{},"uplink_message":{"decoded_payload":{"flow":"NaN"}}}'),
  fc
    .array(
      fc.record({
        variable: fc.string(),
        value: fc.oneof(fc.double(), fc.string(), fc.boolean(), fc.constant(null)),
        time: fc.oneof(
          fc.string(),
          fc.date().map((d) => (Number.isNaN(d.getTime()) ? "bad" : d.toISOString())),
        ),
      }),
      { maxLength: 5 },
    )
    .map((a) => JSON.stringify(a)),
);

/** Thousands of malformed pushes: never a 5xx, always a clear 4xx (or 202), and every stored row kept raw. */
describe("push endpoints fuzz", () => {
  it("answers 202 or a 4xx with a reason for any body, and keeps what it stored", async () => {
    let calls = 0;
    const answers: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("tts" as const, "tago" as const),
        jsonish,
        fc.boolean(),
        async (kind, body, goodSecret) => {
          calls++;
          const res = await handlePush(
            kind,
            String(accounts[kind]),
            new Request(`http://localhost/api/v1/ingest/${kind}/${accounts[kind]}`, {
              method: "POST",
              headers: { "content-type": "application/json", "x-webhook-secret": goodSecret ? SECRET : "wrong" },
              body,
            }),
          );
          answers[res.status] = (answers[res.status] ?? 0) + 1;
          expect(res.status).toBeLessThan(500);
          if (!goodSecret) expect(res.status).toBe(401);
          if (res.status >= 400)
            expect(((await res.json()) as { error?: { message?: string } }).error?.message).toBeTruthy();
        },
      ),
      { numRuns: 2000 },
    );
    expect(calls).toBe(2000);
    expect(answers[401]).toBeGreaterThan(0);
    expect((answers[400] ?? 0) + (answers[422] ?? 0)).toBeGreaterThan(0);
    // Rejected payloads are stored raw with their reason, for inspection.
    const { rows } = await getPgPool().query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM raw_payload GROUP BY 1",
    );
    const rejected = rows.find((r) => r.status === "rejected")?.n ?? 0;
    expect(rejected).toBeGreaterThan(0);
    const { rows: noReason } = await getPgPool().query(
      "SELECT id FROM raw_payload WHERE status = 'rejected' AND (error IS NULL OR error = '')",
    );
    expect(noReason).toEqual([]);
  }, 240_000);
});
