import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Tiny node:http helpers shared by the simulators (DGA sandbox, provider simulators). */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type JsonHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT_BYTES = 1_048_576;

/** Reads the whole body as UTF-8; rejects with HttpError 413 past the limit. */
export function readBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new HttpError(413, `body larger than ${limitBytes} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Wraps a handler: an HttpError becomes its status, anything else a 500, both as {"error": message}. */
export function createJsonServer(handler: JsonHandler): { listen(port: number, host: string): Promise<RunningServer> } {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        sendJson(res, status, { error: err instanceof Error ? err.message : String(err) });
      });
  });
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve({
            port: (server.address() as AddressInfo).port,
            close: () =>
              new Promise<void>((done, fail) => {
                server.close((e) => (e ? fail(e) : done()));
                server.closeAllConnections();
              }),
          });
        });
      }),
  };
}
