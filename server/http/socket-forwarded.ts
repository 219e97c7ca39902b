import http from "node:http";

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
const PATCHED = Symbol.for("smarthydro.socketForwardedFor");

/**
 * Next.js fills X-Forwarded-For from the socket only when a request has none, so a client talking
 * to the portal directly could pick its own address for the login throttle. From here on every
 * HTTP server of the process appends the socket's address, as a proxy does; the app then reads the
 * entry TRUSTED_PROXY_HOPS places from the right (domain/net/ip.ts). Works for `next start`, the
 * standalone server and `next dev` alike, since it patches the one place requests are announced.
 */
export function appendSocketAddressToForwardedFor(): void {
  const proto = http.Server.prototype as unknown as { emit: Emit; [PATCHED]?: true };
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const socket = req.socket?.remoteAddress;
      if (socket) {
        const prior = req.headers["x-forwarded-for"];
        req.headers["x-forwarded-for"] = prior
          ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${socket}`
          : socket;
      }
    }
    return emit.call(this, event, ...args);
  };
}
