import net from "node:net";
import tls from "node:tls";
import { AppError } from "@/domain/errors";

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Minimal SMTP submission over node:net/tls (no library is installed): smtp:// plain or smtps://
 * implicit TLS, AUTH PLAIN when the URL carries credentials. Enough for a relay; no STARTTLS.
 */
export async function sendMail(smtpUrl: string, msg: MailMessage, timeoutMs = 15_000): Promise<void> {
  const u = new URL(smtpUrl);
  const secure = u.protocol === "smtps:";
  const port = Number(u.port || (secure ? 465 : 25));
  const socket: net.Socket = secure ? tls.connect({ host: u.hostname, port, servername: u.hostname }) : net.connect({ host: u.hostname, port });
  socket.setEncoding("utf8");
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error("SMTP timeout")));
  let buffer = "";
  const waiters: ((line: string) => void)[] = [];
  const lines: string[] = [];
  let failure: Error | null = null;
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      // Multi-line replies ("250-...") end with a line whose 4th character is a space.
      if (line[3] === "-") continue;
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  socket.on("error", (e) => {
    failure = e;
    for (const w of waiters.splice(0)) w(`000 ${e.message}`);
  });
  const reply = (): Promise<string> =>
    failure ? Promise.resolve(`000 ${(failure as Error).message}`) : lines.length ? Promise.resolve(lines.shift()!) : new Promise((res) => waiters.push(res));
  const expect = async (cmd: string | null, ok: string): Promise<void> => {
    if (cmd !== null) socket.write(`${cmd}\r\n`);
    const line = await reply();
    if (!line.startsWith(ok)) throw new AppError("PROVIDER_UNAVAILABLE", `SMTP ${cmd?.split(" ")[0] ?? "greeting"}: ${line.slice(0, 200)}`);
  };
  try {
    await expect(null, "220");
    await expect(`EHLO smarthydro`, "250");
    if (u.username) {
      const token = Buffer.from(`\0${decodeURIComponent(u.username)}\0${decodeURIComponent(u.password)}`).toString("base64");
      await expect(`AUTH PLAIN ${token}`, "235");
    }
    await expect(`MAIL FROM:<${msg.from}>`, "250");
    await expect(`RCPT TO:<${msg.to}>`, "25");
    await expect("DATA", "354");
    const body = msg.text.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
    const subject = `=?UTF-8?B?${Buffer.from(msg.subject).toString("base64")}?=`;
    socket.write(`From: ${msg.from}\r\nTo: ${msg.to}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}\r\n`);
    await expect(".", "250");
    await expect("QUIT", "221").catch(() => {});
  } finally {
    socket.destroy();
  }
}
