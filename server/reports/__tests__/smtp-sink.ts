import net from "node:net";

export interface SunkMessage {
  from: string;
  to: string[];
  data: string;
}

/** A local SMTP server that accepts everything and keeps the messages (test only). */
export async function startSmtpSink(): Promise<{ url: string; messages: SunkMessage[]; close: () => Promise<void> }> {
  const messages: SunkMessage[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding("utf8");
    let buf = "";
    let inData = false;
    let cur: SunkMessage = { from: "", to: [], data: "" };
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk: string) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf("\r\n.\r\n");
          if (end < 0) return;
          cur.data = buf.slice(0, end).replace(/^\.\./gm, ".");
          buf = buf.slice(end + 5);
          inData = false;
          messages.push(cur);
          cur = { from: "", to: [], data: "" };
          socket.write("250 queued\r\n");
          continue;
        }
        const i = buf.indexOf("\r\n");
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") socket.write("250-sink\r\n250-8BITMIME\r\n250 OK\r\n");
        else if (verb === "MAIL") {
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
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((r) => server.close(() => r())) };
}
