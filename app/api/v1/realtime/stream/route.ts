import { getDb } from "@/server/db";
import { auth } from "@/server/auth/next-auth";
import { principalForUser } from "@/server/auth/principal";
import { principalFromAuthorization } from "@/server/auth/rest-auth";
import { realtimeStreamResponse } from "@/server/realtime/stream-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Server-sent events: latest values and status of the points the caller may see (portal session or Bearer). */
export async function GET(req: Request): Promise<Response> {
  const db = getDb();
  const session = await auth();
  const principal = session?.user?.id
    ? await principalForUser(db, Number(session.user.id))
    : await principalFromAuthorization(db, req.headers.get("authorization"), new Date());
  return realtimeStreamResponse(db, principal, req);
}
