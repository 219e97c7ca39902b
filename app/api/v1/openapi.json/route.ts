import { buildOpenApi } from "@/server/api/openapi";
import { json } from "@/server/api/rest";

export const dynamic = "force-dynamic";

export function GET(req: Request): Response {
  return json(200, buildOpenApi(new URL(req.url).origin));
}
