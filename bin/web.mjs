#!/usr/bin/env node
// The portal's production server: `next start` plus one thing it cannot do. Next.js fills
// X-Forwarded-For from the socket only when the request carries none, so a client could pick its
// own address for the login throttle. Here the socket's address is always appended, like a proxy
// does, and the app reads the entry TRUSTED_PROXY_HOPS places from the right (docs/SECURITY.md).
// Usage: node bin/web.mjs [-H host] [-p port]
import { createServer } from "node:http";
import process from "node:process";
import { parseArgs } from "node:util";
import next from "next";

const { values } = parseArgs({ options: { hostname: { type: "string", short: "H" }, port: { type: "string", short: "p" } } });
const hostname = values.hostname ?? process.env.HOSTNAME_BIND ?? "0.0.0.0";
const port = Number(values.port ?? process.env.PORT ?? 3000);

const app = next({ dev: false, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = createServer((req, res) => {
  const prior = req.headers["x-forwarded-for"];
  const socket = req.socket.remoteAddress ?? "";
  req.headers["x-forwarded-for"] = [Array.isArray(prior) ? prior.join(", ") : prior, socket].filter(Boolean).join(", ");
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => console.log(`▲ SmartHydro portal ready on http://${hostname}:${port}`));
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
