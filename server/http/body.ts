import { AppError } from "@/domain/errors";

/**
 * Reads a request body up to `max` bytes; PAYLOAD_TOO_LARGE past it (the rest is not read, and a
 * declared Content-Length above the limit is refused before reading anything).
 */
export async function readBodyLimited(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "");
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `El cuerpo supera el máximo de ${max} bytes`);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
