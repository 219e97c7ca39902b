import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import { getDb } from "@/server/db";
import { verifyCredentials } from "@/server/auth/credentials";
import { issueRestToken } from "@/server/auth/rest-token";
import { apiKeyIdForSecret } from "@/server/auth/rest-auth";
import { TokenRequestSchema } from "@/server/api/openapi";
import { json } from "@/server/api/rest";
import { toHttpError } from "@/server/api/http-errors";
import { z } from "zod";
import { env } from "@/server/env";
import { readBodyLimited } from "@/server/http/body";
import { requestClientIp } from "@/server/http/client-ip";
import { NUL_MESSAGE, nulBytePath } from "@/domain/text";
/** POST /api/v1/auth/token: a Bearer token for a user (password) or an API key (client_credentials). */
export async function handleTokenRequest(req: Request): Promise<Response> {
  const requestId = randomUUID();
  try {
    const text = await readBodyLimited(req, env().REQUEST_MAX_BYTES);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError("BAD_INPUT", "El cuerpo debe ser JSON");
    }
    if (nulBytePath(raw) !== null) throw new AppError("BAD_INPUT", NUL_MESSAGE);
    const parsed = TokenRequestSchema.safeParse(raw);
    if (!parsed.success)
      throw new AppError("BAD_INPUT", "Solicitud de token inválida", { details: z.flattenError(parsed.error) });
    const db = getDb();
    const now = new Date();
    let sub: string;
    let sv: number | undefined;
    if (parsed.data.grant_type === "client_credentials") {
      const id = await apiKeyIdForSecret(db, parsed.data.client_secret);
      if (!id) throw new AppError("UNAUTHENTICATED", "Clave de API inválida o revocada");
      sub = `apikey:${id}`;
    } else {
      const { userId, sessionVersion } = await verifyCredentials(
        db,
        parsed.data.email,
        parsed.data.password,
        requestClientIp(req.headers),
      );
      sub = `user:${userId}`;
      sv = sessionVersion;
    }
    const { token, expiresAt } = await issueRestToken(sub, now, undefined, sv);
    return json(200, {
      access_token: token,
      token_type: "Bearer",
      expires_in: Math.round((expiresAt.getTime() - now.getTime()) / 1000),
      expires_at: expiresAt.toISOString(),
    });
  } catch (e) {
    const h = toHttpError(e, requestId);
    return json(h.status, h.body, h.headers);
  }
}
