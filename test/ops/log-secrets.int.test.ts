import { existsSync, readFileSync, readdirSync } from "node:fs";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDACT_PATHS } from "@/server/logger";
import { DEMO_PUSH_SECRETS, DEMO_USERS, seedDemo } from "@/server/seed/demo";
import { handleRest } from "@/server/api/rest";
import { closeAll, getDb, truncateAll } from "@/test/db";

/** Every demo secret; none may ever appear in a log line. */
const SECRETS = [
  ...DEMO_USERS.map((u) => u.password),
  ...Object.values(DEMO_PUSH_SECRETS),
  "demo-mee-0",
  "demo-mee-1",
  "demo-pass",
  "NNSXS.DEMO",
];
const lines: string[] = [];
const g = globalThis as unknown as { __logger?: pino.Logger };

beforeAll(async () => {
  // The product's logger configuration (same redaction), at the most verbose level, into memory.
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  g.__logger = pino({ level: "trace", redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink);
  await truncateAll();
  await seedDemo(getDb(), {
    wells: [
      {
        client: 0,
        name: "Pozo demo",
        kind: "groundwater",
        standard: "mayor",
        grantedFlowLps: 20,
        provider: "tdata",
        deviceRef: "d-1",
        variables: [{ variable: "flow", key: "flow", unit: "L/s" }],
        transport: "shadow",
      },
    ],
    providerBaseUrls: {
      tdata: "http://127.0.0.1:4011",
      tts: "http://127.0.0.1:4012",
      thethingsio: "http://127.0.0.1:4013",
      tago: "http://127.0.0.1:4014",
    },
    providerCredentials: {
      tdata: { username: "demo", password: "demo-pass" },
      tts: { apiKey: "NNSXS.DEMO" },
      thethingsio: {},
      tago: {},
    },
  });
});
afterAll(async () => {
  g.__logger = undefined;
  await closeAll();
});

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe("logs carry no secrets", () => {
  it("REST requests with secrets in headers, bodies and queries log none of them", async () => {
    const { POST } = await import("@/app/api/v1/auth/token/route");
    for (const u of DEMO_USERS.slice(0, 2)) {
      await POST(
        new Request("http://x/api/v1/auth/token", {
          method: "POST",
          body: JSON.stringify({ grant_type: "password", email: u.email, password: u.password }),
          headers: { "content-type": "application/json" },
        }),
      );
      await POST(
        new Request("http://x/api/v1/auth/token", {
          method: "POST",
          body: JSON.stringify({ grant_type: "password", email: u.email, password: `${u.password}x` }),
        }),
      );
    }
    for (const secret of SECRETS) {
      await handleRest(
        new Request(`http://x/api/v1/points?token=${encodeURIComponent(secret)}`, {
          headers: { authorization: `Bearer ${secret}`, "x-webhook-secret": secret },
        }),
        "/points",
      );
      await handleRest(
        new Request("http://x/api/v1/points", {
          method: "POST",
          body: JSON.stringify({ password: secret }),
          headers: { authorization: `Bearer ${secret}` },
        }),
        "/points",
      );
    }
    g.__logger?.info(
      {
        headers: { authorization: `Bearer ${SECRETS[0]}`, cookie: `s=${SECRETS[1]}`, "x-webhook-secret": SECRETS[5] },
        password: SECRETS[2],
        credentials: { password: SECRETS[8] },
      },
      "redaction probe",
    );
    expect(lines.length).toBeGreaterThan(SECRETS.length);
    expect(lines.join("")).toContain("[redacted]");
    expect(leaks(lines.join(""))).toEqual([]);
  });

  it("logs left by other runs (e2e/results, var/log) contain no demo secret", () => {
    const files = ["e2e/results", "var/log"]
      .filter((d) => existsSync(d))
      .flatMap((d) =>
        readdirSync(d)
          .filter((f) => f.endsWith(".log") && f !== "build.log")
          .map((f) => `${d}/${f}`),
      );
    const found = files.flatMap((f) => leaks(readFileSync(f, "utf8")).map((s) => `${f}: ${s.slice(0, 4)}…`));
    expect(found).toEqual([]);
  });
});
