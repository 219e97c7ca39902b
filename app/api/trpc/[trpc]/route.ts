import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { createInnerContext } from "@/server/trpc/init";
import { getDb } from "@/server/db";
import { auth } from "@/server/auth/next-auth";
import { principalForUser } from "@/server/auth/principal";
import { principalFromAuthorization } from "@/server/auth/rest-auth";

export const dynamic = "force-dynamic";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const db = getDb();
      const session = await auth();
      const principal = session?.user?.id
        ? await principalForUser(db, Number(session.user.id))
        : await principalFromAuthorization(db, req.headers.get("authorization"), new Date());
      return createInnerContext(db, principal);
    },
  });

export { handler as GET, handler as POST };
