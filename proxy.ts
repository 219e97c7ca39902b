import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/server/env";
import { contentSecurityPolicy } from "@/server/http/csp";
import { declaredBodyLimit, declaresTooMuch } from "@/server/ingest/limits";

/**
 * Runs before every route: a fresh CSP nonce per request (Next.js puts it on its own scripts when
 * it finds the policy in the request headers; pages render dynamically for it), and the one body
 * limit, refused here from Content-Length before any route reads a byte (routes also cap what they read).
 */
export function proxy(req: NextRequest) {
  const e = env();
  const max = declaredBodyLimit(req.nextUrl.pathname, e);
  if (declaresTooMuch(req.headers.get("content-length"), max)) {
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
