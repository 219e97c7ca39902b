import { describe, expect, it } from "vitest";
import { parseServerEnv } from "./env";

const base = { AUTH_SECRET: "x".repeat(32), ENCRYPTION_KEY: "k".repeat(64) };

describe("REDIS_NAMESPACE", () => {
  it("defaults to sh", () => {
    expect(parseServerEnv(base).REDIS_NAMESPACE).toBe("sh");
  });

  it("still honours the deprecated QUEUE_PREFIX when REDIS_NAMESPACE is unset or empty", () => {
    expect(parseServerEnv({ ...base, QUEUE_PREFIX: "sh-staging" }).REDIS_NAMESPACE).toBe("sh-staging");
    expect(parseServerEnv({ ...base, REDIS_NAMESPACE: "", QUEUE_PREFIX: "old" }).REDIS_NAMESPACE).toBe("old");
  });

  it("prefers REDIS_NAMESPACE over the alias", () => {
    const e = parseServerEnv({ ...base, REDIS_NAMESPACE: "new", QUEUE_PREFIX: "old" });
    expect(e.REDIS_NAMESPACE).toBe("new");
    expect("QUEUE_PREFIX" in e).toBe(false);
  });
});
