import { getRedis } from "@/server/redis";
import { queuePrefix } from "@/server/queues/connection";

const key = (accountId: number) => `${queuePrefix()}:provider-pause:${accountId}`;

/**
 * After a 429 every binding of the account waits out the Retry-After without calling the
 * provider: jobs of that account are delayed until then instead of feeding the storm.
 */
export const accountPause = {
  async set(accountId: number, ms: number): Promise<void> {
    if (ms > 0) await getRedis().set(key(accountId), "1", "PX", Math.ceil(ms));
  },
  async remainingMs(accountId: number): Promise<number> {
    return Math.max(0, await getRedis().pttl(key(accountId)));
  },
};
