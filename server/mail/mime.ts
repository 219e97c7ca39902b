import { randomBytes } from "node:crypto";

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}
export interface MailContent {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  attachments?: readonly Attachment[];
  date: Date;
}

/** RFC 2047 encoded-word for non-ASCII header text. */
export function encodeHeader(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, "utf8").toString("base64")}?=`;
}

const wrap76 = (b64: string) => b64.replace(/.{1,76}/g, "$&\r\n");

/** RFC 2231 filename parameter (UTF-8, percent-encoded) plus an ASCII fallback. */
function filenameParams(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return /^[\x20-\x7e]*$/.test(name)
    ? `filename="${ascii}"`
    : `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A complete RFC 5322 message with CRLF line endings: text/plain, or multipart/mixed with base64 attachments. */
export function buildMime(m: MailContent): string {
  const headers = [
    `From: ${m.from}`,
    `To: ${m.to.join(", ")}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${m.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${randomBytes(12).toString("hex")}@smarthydro>`,
    "MIME-Version: 1.0",
  ];
  const textPart = [
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    wrap76(Buffer.from(m.text, "utf8").toString("base64")),
  ];
  if (!m.attachments?.length) return [...headers, ...textPart].join("\r\n");
  const boundary = `=_sh_${randomBytes(12).toString("hex")}`;
  const parts = [`--${boundary}`, ...textPart];
  for (const a of m.attachments) {
    parts.push(
      `--${boundary}`,
      `Content-Type: ${a.contentType}; name="${a.filename.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "")}"`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: attachment; ${filenameParams(a.filename)}`,
      "",
      wrap76(a.content.toString("base64")),
    );
  }
  parts.push(`--${boundary}--`, "");
  return [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", ...parts].join("\r\n");
}
