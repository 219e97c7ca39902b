import { collectDefaultMetrics } from "prom-client";
import { env } from "@/server/env";
import { metricsRegistry } from "@/server/metrics/registry";
import { renderMetrics } from "@/server/metrics/collect";
import { metricsAuthorized } from "@/server/metrics/auth";

export const dynamic = "force-dynamic";

const g = globalThis as unknown as { __webDefaultMetrics?: boolean };

export async function GET(req: Request): Promise<Response> {
  if (!metricsAuthorized(req.headers.get("authorization"), env())) {
    return new Response("unauthorized\n", {
      status: 401,
      headers: { "www-authenticate": "Bearer", "cache-control": "no-store" },
    });
  }
  if (!g.__webDefaultMetrics) {
    g.__webDefaultMetrics = true;
    collectDefaultMetrics({ register: metricsRegistry, prefix: "smarthydro_web_" });
  }
  const { contentType, body } = await renderMetrics();
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
}
