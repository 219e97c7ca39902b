import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_ROUTES, handleRest } from "@/server/api/rest";
import { issueRestToken } from "@/server/auth/rest-token";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";

// The fuzz sends thousands of requests with one token: lift the per-caller REST limit (limits.int.test.ts covers it).
process.env.API_RATE_PER_MIN = "1000000";

let f: Fixture;
let adminToken: string;
beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  adminToken = (await issueRestToken(`user:${f.users.admin.id}`, new Date())).token;
});
afterAll(closeAll);

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(""),
  fc.constant("-1"),
  fc.constant("1e309"),
  fc.constant("OB-0602-7"),
  fc.constant("76455593-7"),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

/** A few thousand malformed requests across every REST endpoint: never a 5xx, always a JSON error with a message. */
describe("REST API fuzz", () => {
  it("answers malformed input with 4xx and a clear message, never 5xx", async () => {
    let total = 0;
    for (const route of REST_ROUTES) {
      const fields = [
        ...route.params,
        "id",
        "clientId",
        "name",
        "kind",
        "obraCode",
        "rut",
        "email",
        "password",
        "scopes",
        "modules",
        "from",
        "to",
        "limit",
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...fields), junk, { maxKeys: 6 }),
          fc.constantFrom("1", "0", "abc", "99999999", "99999999999", "-5", "%00", "1.5"),
          fc.boolean(),
          async (input, idParam, rawGarbage) => {
            total++;
            const path = route.op.rest!.path.replace(/\{\w+\}/g, encodeURIComponent(idParam));
            const url = new URL(`http://localhost/api/v1${path}`);
            const isBody = route.method === "POST" || route.method === "PUT";
            if (!isBody)
              for (const [k, v] of Object.entries(input))
                url.searchParams.set(k, typeof v === "string" ? v : JSON.stringify(v));
            const body = isBody ? (rawGarbage ? '{"a":' : JSON.stringify(input)) : undefined;
            const res = await handleRest(
              new Request(url, {
                method: route.method,
                headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
                body,
              }),
              path,
            );
            expect(res.status, `${route.method} ${path} ${body ?? url.search}`).toBeLessThan(500);
            if (res.status >= 400) {
              const j = (await res.json()) as { error?: { message?: string; code?: string } };
              expect(j.error?.message, `${route.method} ${path}`).toBeTruthy();
            }
          },
        ),
        { numRuns: 40 },
      );
    }
    expect(total).toBeGreaterThan(1000);
  });
});
