import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { clientIpFromForwarded } from "@/domain/net/ip";
import { appendSocketAddressToForwardedFor } from "@/server/http/socket-forwarded";

/** Finding 4: the client IP comes from the socket (or a configured proxy depth), never from what the client wrote. */
describe("socket address in X-Forwarded-For", () => {
  it("every request's X-Forwarded-For ends with the socket's address, whatever the client sent", async () => {
    appendSocketAddressToForwardedFor();
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers["x-forwarded-for"]));
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      await fetch(url, { headers: { "x-forwarded-for": "6.6.6.6" } });
      await fetch(url);
    } finally {
      server.close();
    }
    expect(seen).toEqual(["6.6.6.6, 127.0.0.1", "127.0.0.1"]);
    expect(clientIpFromForwarded(seen[0]!, 0)).toBe("127.0.0.1");
  });
});
