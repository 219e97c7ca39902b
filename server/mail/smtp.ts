import net from "node:net";
import tls from "node:tls";
import { AppError } from "@/domain/errors";
import { buildMime, type MailContent } from "./mime";

/**
 * Minimal SMTP client (node:net / node:tls, no library) for messages with attachments and several
 * recipients: EHLO, AUTH PLAIN when the URL has credentials, MAIL FROM, RCPT TO per recipient, DATA
 * with dot-stuffing, QUIT. smtp:// is plain, smtps:// implicit TLS; no STARTTLS.
 */
export async function sendMailWithAttachments(
  smtpUrl: string,
  mail: MailContent,
  timeoutMs = 30_000,
): Promise<{ accepted: string[] }> {
  const u = new URL(smtpUrl);
  const secure = u.protocol === "smtps:";
  const port = Number(u.port || (secure ? 465 : 25));
  const socket: net.Socket = secure
    ? tls.connect({ host: u.hostname, port, servername: u.hostname })
    : net.connect({ host: u.hostname, port });
  socket.setEncoding("utf8");
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error("SMTP timeout")));
  let buffer = "";
  const replies: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let failure: string | null = null;
  const deliver = (line: string) => {
    const w = waiters.shift();
    if (w) w(line);
    else replies.push(line);
  };
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (line[3] !== "-") deliver(line); // multi-line replies end on "NNN text"
    }
  });
  const fail = (msg: string) => {
    failure ??= msg;
    for (const w of waiters.splice(0)) w(`000 ${msg}`);
  };
  socket.on("error", (e) => fail(e.message));
  socket.on("close", () => fail("connection closed"));
  const reply = (): Promise<string> =>
    replies.length
      ? Promise.resolve(replies.shift()!)
      : failure
        ? Promise.resolve(`000 ${failure}`)
        : new Promise((r) => waiters.push(r));
  const command = async (cmd: string | null, ok: string, label = cmd?.split(" ")[0] ?? "greeting"): Promise<string> => {
    if (cmd !== null) socket.write(`${cmd}\r\n`);
    const line = await reply();
    if (!line.startsWith(ok))
      throw new AppError(
        line.startsWith("5") ? "PROVIDER_PERMANENT" : "PROVIDER_UNAVAILABLE",
        `SMTP ${label}: ${line.slice(0, 200)}`,
      );
    return line;
  };
  const envelopeFrom = /<([^>]+)>/.exec(mail.from)?.[1] ?? mail.from;
  const accepted: string[] = [];
  try {
    await command(null, "220");
    await command(`EHLO smarthydro`, "250");
    if (u.username) {
      const token = Buffer.from(`\0${decodeURIComponent(u.username)}\0${decodeURIComponent(u.password)}`).toString(
        "base64",
      );
      await command(`AUTH PLAIN ${token}`, "235", "AUTH");
    }
    await command(`MAIL FROM:<${envelopeFrom}>`, "250", "MAIL");
    for (const rcpt of mail.to) {
      await command(`RCPT TO:<${rcpt}>`, "25", "RCPT");
      accepted.push(rcpt);
    }
    await command("DATA", "354");
    const body = buildMime(mail).replace(/^\./gm, "..");
    socket.write(`${body}\r\n.\r\n`);
    await command(null, "250", "DATA end");
    await command("QUIT", "221").catch(() => {});
  } finally {
    socket.destroy();
  }
  return { accepted };
}
