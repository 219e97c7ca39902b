import { SUCCESS_STATUS } from "./contract";

export type DgaOutcome =
  | { kind: "sent"; receipt: string; message: string }
  /** "00" without numeroComprobante: accepted, so never resend; a human checks it. */
  | { kind: "sent_no_receipt"; message: string }
  /** MEE already holds (obra, fecha, hora): the data is stored; the receipt is in the message. */
  | { kind: "duplicate"; receipt: string | null; message: string }
  /** Configuration error; retrying cannot help. */
  | { kind: "wrong_informante"; message: string }
  /** A non-"00" answer: nothing stored, retry next day (§6.2). */
  | { kind: "rejected"; message: string; httpStatus: number }
  /** No usable answer: the POST may or may not have been stored. */
  | {
      kind: "unknown";
      reason: "no_response" | "server_error" | "unparseable_body";
      httpStatus: number | null;
      message: string;
    };

const DUPLICATE_RE = /Ya existe un registro/i;
const DUPLICATE_RECEIPT_RE = /Comprobante:\s*([A-Za-z0-9]+)/;
const WRONG_INFORMANTE_RE = /no es el informante registrado/i;
const RECEIPT_RE = /^[A-Za-z0-9]+$/;
const MAX_MESSAGE_CHARS = 500;

interface ParsedAnswer {
  status?: unknown;
  message?: unknown;
  data?: { numeroComprobante?: unknown } | null;
}

function parse(bodyText: string): ParsedAnswer | null {
  try {
    const value: unknown = JSON.parse(bodyText);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as ParsedAnswer) : null;
  } catch {
    return null;
  }
}

/** Classifies one MEE answer. httpStatus null means timeout or network error. "00" is the only success (§5.1). */
export function classifyResponse(input: { httpStatus: number | null; bodyText: string | null }): DgaOutcome {
  const { httpStatus } = input;
  const bodyText = input.bodyText ?? "";
  if (httpStatus === null) return { kind: "unknown", reason: "no_response", httpStatus, message: "" };

  const answer = parse(bodyText);
  const message = (typeof answer?.message === "string" ? answer.message : bodyText).slice(0, MAX_MESSAGE_CHARS);

  if (answer && String(answer.status) === SUCCESS_STATUS) {
    const receipt = answer.data?.numeroComprobante;
    return typeof receipt === "string" && RECEIPT_RE.test(receipt)
      ? { kind: "sent", receipt, message }
      : { kind: "sent_no_receipt", message };
  }
  if (DUPLICATE_RE.test(message))
    return { kind: "duplicate", receipt: DUPLICATE_RECEIPT_RE.exec(message)?.[1] ?? null, message };
  if (WRONG_INFORMANTE_RE.test(message)) return { kind: "wrong_informante", message };
  if (httpStatus >= 500 || httpStatus === 408) return { kind: "unknown", reason: "server_error", httpStatus, message };
  if (!answer && httpStatus >= 200 && httpStatus < 300)
    return { kind: "unknown", reason: "unparseable_body", httpStatus, message };
  return { kind: "rejected", message, httpStatus };
}
