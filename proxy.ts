import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/server/env";
import { contentSecurityPolicy } from "@/server/http/csp";

/**
 * Runs before every route: a fresh CSP nonce per request (Next.js puts it on its own scripts when
 * it finds the policy in the request headers; pages render dynamically for it), and the one body
 * limit, refused here from Content-Length before any route reads a byte (routes also cap what they read).
 */
export function proxy(req: NextRequest) {
  const e = env();
  const max = req.nextUrl.pathname.startsWith("/api/v1/ingest/")
    ? Math.max(e.INGEST_MAX_BYTES, e.REQUEST_MAX_BYTES)
    : e.REQUEST_MAX_BYTES;
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) {
    return NextResponse.json(
      { error: { code: "PAYLOAD_TOO_LARGE", message: `El cuerpo supera el máximo de ${max} bytes` } },
      { status: 413 },
    );
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, e.NODE_ENV === "development");
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
