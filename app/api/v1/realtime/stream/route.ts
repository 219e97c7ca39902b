import { getDb } from "@/server/db";
import { principalFromRequest } from "@/server/auth/request-principal";
import { realtimeStreamResponse } from "@/server/realtime/stream-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Server-sent events: latest values and status of the points the caller may see (portal session or Bearer). */
export async function GET(req: Request): Promise<Response> {
  const db = getDb();
  const principal = await principalFromRequest(req, { prisma: db });
  return realtimeStreamResponse(db, principal, req);
}
