import { Queue, type ConnectionOptions } from "bullmq";
import { env } from "@/server/env";

/**
 * BullMQ connection options and key prefix. Tests set REDIS_NAMESPACE per run so runs never share
 * queues; production uses the default "sh".
 */
export function queueConnection(): ConnectionOptions {
  const u = new URL(env().REDIS_URL);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.slice(1) || 0),
    password: u.password || undefined,
    maxRetriesPerRequest: null,
  };
}

export function queuePrefix(): string {
  return env().REDIS_NAMESPACE;
}

const g = globalThis as unknown as { __queues?: Map<string, Queue> };

/** One producer per queue name per process. */
export function getQueue(name: string): Queue {
  g.__queues ??= new Map();
  let q = g.__queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: queueConnection(), prefix: queuePrefix() });
    g.__queues.set(name, q);
  }
  return q;
}

export async function closeQueues(): Promise<void> {
  const qs = [...(g.__queues?.values() ?? [])];
  g.__queues?.clear();
  await Promise.all(qs.map((q) => q.close()));
}
