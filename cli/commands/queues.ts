import { Queue } from "bullmq";
import { queueConnection, queuePrefix } from "@/server/queues/connection";
import { QUEUE_NAMES, QUEUE_STATES } from "@/server/metrics/collect";
import { UsageError, parse, required, table, type Command } from "../lib";

async function withQueue<T>(name: string, fn: (q: Queue) => Promise<T>): Promise<T> {
  const q = new Queue(name, { connection: queueConnection(), prefix: queuePrefix() });
  try {
    return await fn(q);
  } finally {
    await q.close();
  }
}

export const queuesCommand: Command = {
  name: "queues",
  summary: "inspect BullMQ queues (counts per state) and retry failed jobs",
  help: `Usage: smarthydro queues <subcommand> [options]

  inspect [--json]             job counts per queue and state (${QUEUE_STATES.slice(0, 5).join(", ")}, …)
  retry-failed --queue <name>  move every failed job of a queue back to waiting

Queues: ${QUEUE_NAMES.join(", ")}`,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === "inspect") {
      const { values } = parse(rest, { json: { type: "boolean" } });
      const rows = [];
      for (const name of QUEUE_NAMES)
        rows.push({
          queue: name,
          ...(await withQueue(name, (q) =>
            q.getJobCounts("waiting", "active", "delayed", "prioritized", "failed", "completed"),
          )),
        });
      console.log(values.json ? JSON.stringify(rows, null, 2) : table(rows));
      return;
    }
    if (sub === "retry-failed") {
      const { values } = parse(rest, { queue: { type: "string" } });
      const name = required(values.queue, "queue");
      if (!QUEUE_NAMES.includes(name)) throw new UsageError(`unknown queue ${name}; queues: ${QUEUE_NAMES.join(", ")}`);
      const n = await withQueue(name, async (q) => {
        const { failed = 0 } = await q.getJobCounts("failed");
        if (failed > 0) await q.retryJobs({ state: "failed", count: 1000 });
        return failed;
      });
      console.log(`${n} failed job(s) of ${name} moved back to waiting`);
      return;
    }
    throw new UsageError(sub ? `unknown subcommand: ${sub}` : "missing subcommand");
  },
};
