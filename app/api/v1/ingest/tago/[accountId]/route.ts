import { handlePush } from "@/server/ingest/push";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** TagoIO Action "Post data to HTTP Endpoint": an array of records in the Tago data format. Secret: X-Webhook-Secret or Authorization: Bearer. */
export async function POST(req: Request, { params }: { params: Promise<{ accountId: string }> }) {
  return handlePush("tago", (await params).accountId, req);
}
