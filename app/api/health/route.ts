import { readiness } from "@/server/health/health";
import { json } from "@/server/api/rest";

export const dynamic = "force-dynamic";

/** ?probe=live answers while the process runs; the default (readiness) also checks PostgreSQL and Redis. */
export async function GET(req: Request): Promise<Response> {
  if (new URL(req.url).searchParams.get("probe") === "live") return json(200, { status: "ok" });
  const r = await readiness();
  return json(r.status === "ok" ? 200 : 503, r);
}
