import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The handler in-process behind node:http (the old side path), for the second column. */
export async function inProcessServer(): Promise<{ url: string; close(): Promise<void> }> {
  const { handlePush } = await import("@/server/ingest/push");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const m = /^\/api\/v1\/ingest\/(tts|tago)\/([^/?]+)/.exec(req.url ?? "");
      if (!m) return void res.writeHead(404).end();
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void handlePush(m[1] as "tago", m[2]!, request).then(async (out) =>
        res.writeHead(out.status, Object.fromEntries(out.headers.entries())).end(await out.text()),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { closeQueues } = await import("@/server/queues/connection");
  const { closePgPool } = await import("@/server/pg");
  const { closeRedis } = await import("@/server/redis");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      // Requests the load generator gave up on may still be in flight: let them finish before the pools close.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 30_000))]);
      server.closeAllConnections();
      await Promise.allSettled([closeQueues(), closePgPool(), closeRedis()]);
    },
  };
}
