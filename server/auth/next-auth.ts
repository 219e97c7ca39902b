import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { AppError } from "@/domain/errors";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { verifyCredentials } from "./credentials";
import { revokeSessions } from "./revoke";
import { requestClientIp } from "@/server/http/client-ip";

class ThrottledSignin extends CredentialsSignin {
  code = "rate_limited";
}

const LoginSchema = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1).max(200) });

export const authEvents = {
  // A JWT session cannot be deleted, so signing out retires every session of the user.
  signOut: async (message: { token?: { sub?: string | null } | null } | { session?: unknown }) => {
    const sub = "token" in message ? message.token?.sub : undefined;
    if (sub) await revokeSessions(getDb(), Number(sub));
  },
};

/** Portal login: credentials checked by the same function as REST tokens; JWT session holding the user id only. */
export const { handlers, auth } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Correo" }, password: { label: "Contraseña", type: "password" } },
      authorize: async (raw, request) => {
        const parsed = LoginSchema.safeParse(raw);
        if (!parsed.success) return null;
        const ip = requestClientIp(request.headers);
        try {
          const { userId, sessionVersion } = await verifyCredentials(
            getDb(),
            parsed.data.email,
            parsed.data.password,
            ip,
          );
          return { id: String(userId), email: parsed.data.email, sv: sessionVersion };
        } catch (e) {
          if (AppError.is(e, "RATE_LIMITED")) throw new ThrottledSignin();
          if (AppError.is(e, "UNAUTHENTICATED")) return null;
          throw e;
        }
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user?.id) {
        token.sub = user.id;
        token.sv = (user as { sv?: number }).sv ?? 0;
      }
      return token;
    },
    session: ({ session, token }) => {
      if (token.sub)
        session.user = {
          ...session.user,
          id: token.sub,
          sv: typeof token.sv === "number" ? token.sv : 0,
        } as typeof session.user;
      return session;
    },
  },
  events: authEvents,
}));
