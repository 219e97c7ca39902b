import net from "node:net";
import tls from "node:tls";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface SunkMessage {
  from: string;
  to: string[];
  data: string;
  /** The message went over TLS (STARTTLS upgrade). */
  secured: boolean;
  /** AUTH PLAIN user, when the client authenticated. */
  user: string | null;
}

export interface SinkOptions {
  /** Offer STARTTLS (with a self-signed certificate made now) and refuse MAIL before it, as Microsoft 365 on 587 does. */
  starttls?: boolean;
}

/** A self-signed certificate for 127.0.0.1, made with openssl at test time (never committed). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "sh-smtp-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        .concat(["-addext", "subjectAltName=IP:127.0.0.1"])
        .concat(["-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(path.join(dir, "key.pem"), "utf8"),
      cert: readFileSync(path.join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A local SMTP server that accepts everything and keeps the messages (test only). */
export async function startSmtpSink(
  opts: SinkOptions = {},
): Promise<{ url: string; messages: SunkMessage[]; close: () => Promise<void>; cert: string | null }> {
  const messages: SunkMessage[] = [];
  const creds = opts.starttls ? selfSigned() : null;
  const server = net.createServer((raw) => {
    let socket: net.Socket = raw;
    let secured = false;
    let user: string | null = null;
    let buf = "";
    let inData = false;
    let cur: SunkMessage = { from: "", to: [], data: "", secured, user };
    const onData = (chunk: string) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf("\r\n.\r\n");
          if (end < 0) return;
          cur.data = buf.slice(0, end).replace(/^\.\./gm, ".");
          buf = buf.slice(end + 5);
          inData = false;
          messages.push(cur);
          cur = { from: "", to: [], data: "", secured, user };
          socket.write("250 queued\r\n");
          continue;
        }
        const i = buf.indexOf("\r\n");
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") {
          const tlsLine = creds && !secured ? "250-STARTTLS\r\n" : "";
          socket.write(`250-sink\r\n250-8BITMIME\r\n${tlsLine}250-AUTH PLAIN\r\n250 OK\r\n`);
        } else if (verb === "STAR" && creds && !secured) {
          socket.write("220 ready for TLS\r\n");
          socket.removeListener("data", onData);
          const upgraded = new tls.TLSSocket(socket, { isServer: true, key: creds.key, cert: creds.cert });
          upgraded.setEncoding("utf8");
          upgraded.on("data", onData);
          upgraded.on("secure", () => {
            secured = true;
            cur = { ...cur, secured };
          });
          upgraded.on("error", () => {});
          socket = upgraded;
          buf = "";
          return;
        } else if (verb === "AUTH") {
          const token = line.split(" ")[2] ?? "";
          user = Buffer.from(token, "base64").toString("utf8").split("\0")[1] ?? null;
          cur.user = user;
          socket.write("235 authenticated\r\n");
        } else if (verb === "MAIL") {
          if (creds && !secured) {
            socket.write("530 5.7.0 Must issue a STARTTLS command first\r\n");
            continue;
          }
          cur.from = /<([^>]*)>/.exec(line)?.[1] ?? "";
          socket.write("250 OK\r\n");
        } else if (verb === "RCPT") {
          cur.to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
          socket.write("250 OK\r\n");
        } else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          socket.end("221 bye\r\n");
          return;
        } else socket.write("250 OK\r\n");
      }
    };
    raw.setEncoding("utf8");
    raw.write("220 sink ESMTP\r\n");
    raw.on("data", onData);
    raw.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    cert: creds?.cert ?? null,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        // nodemailer may keep a socket open briefly after QUIT
        (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
