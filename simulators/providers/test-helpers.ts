import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const T0 = new Date("2025-03-10T14:00:00Z");

/** A settable simulator clock. */
export function clock(start = T0) {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (d: Date) => (current = new Date(d)),
    advance: (ms: number) => (current = new Date(current.getTime() + ms)),
  };
}

/** A throwaway HTTP endpoint that records every POST (webhook / action target). */
export async function receiver(status = 200) {
  const received: { url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export const adminFaults = (base: string, body: unknown) =>
  fetch(`${base}/__admin/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

export const headersOf = (res: Response) => Object.fromEntries(res.headers.entries());
