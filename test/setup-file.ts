import { randomBytes } from "node:crypto";

// Each integration test file gets its own Redis key space (queues, realtime cache, throttles) under the
// run's prefix, so files never see each other's jobs or cached values. The global teardown removes
// everything under the run's prefix.
if (process.env.REDIS_NAMESPACE && !process.env.REDIS_NAMESPACE.includes("~")) {
  process.env.REDIS_NAMESPACE = `${process.env.REDIS_NAMESPACE}~${randomBytes(3).toString("hex")}`;
}
