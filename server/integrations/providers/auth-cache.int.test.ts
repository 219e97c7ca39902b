import { afterAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/server/crypto";
import { closeRedis, getRedis } from "@/server/redis";
import { queuePrefix } from "@/server/queues/connection";
import { cachedAuth, forgetAuth } from "./auth-cache";

const HOUR = 3600_000;
const tokenKey = (id: number) => `${queuePrefix()}:provider-token:${id}`;
const lockKey = (id: number) => `${queuePrefix()}:provider-token-lock:${id}`;

afterAll(async () => {
  await getRedis().del(tokenKey(9001), tokenKey(9002), tokenKey(9003), lockKey(9001), lockKey(9002), lockKey(9003));
  await closeRedis();
});

describe("provider token cache", () => {
  it("many jobs of one process share one login", async () => {
    await forgetAuth(9001);
    let logins = 0;
    const login = async () => {
      logins++;
      await new Promise((r) => setTimeout(r, 50));
      return { token: `t${logins}`, expiresAt: new Date(Date.now() + HOUR) };
    };
    const got = await Promise.all(Array.from({ length: 20 }, () => cachedAuth(9001, login)));
    expect(logins).toBe(1);
    expect(new Set(got.map((g) => g.token))).toEqual(new Set(["t1"]));
    expect((await cachedAuth(9001, login)).token).toBe("t1");
    expect(await getRedis().exists(lockKey(9001))).toBe(0);
  });

  it("waits for the token another process is fetching instead of logging in too", async () => {
    await forgetAuth(9002);
    const redis = getRedis();
    await redis.set(lockKey(9002), "other-process", "PX", 15_000);
    let logins = 0;
    const mine = cachedAuth(9002, async () => ({ token: `mine${++logins}`, expiresAt: new Date(Date.now() + HOUR) }));
    await new Promise((r) => setTimeout(r, 300));
    await redis.set(
      tokenKey(9002),
      encryptSecret(JSON.stringify({ token: "theirs", expiresAt: new Date(Date.now() + HOUR).toISOString() })),
      "PX",
      HOUR,
    );
    await redis.del(lockKey(9002));
    expect((await mine).token).toBe("theirs");
    expect(logins).toBe(0);
  });

  it("after a 401 (force) drops the cached token and logs in once, even if the other holder vanished", async () => {
    const redis = getRedis();
    await redis.set(
      tokenKey(9003),
      encryptSecret(JSON.stringify({ token: "revoked", expiresAt: new Date(Date.now() + HOUR).toISOString() })),
      "PX",
      HOUR,
    );
    await redis.set(lockKey(9003), "crashed-process", "PX", 400);
    let logins = 0;
    const fresh = await cachedAuth(
      9003,
      async () => ({ token: `new${++logins}`, expiresAt: new Date(Date.now() + HOUR) }),
      true,
    );
    expect(fresh.token).toBe("new1");
    expect(logins).toBe(1);
    expect((await cachedAuth(9003, async () => ({ token: "never", expiresAt: null }))).token).toBe("new1");
  });
});
