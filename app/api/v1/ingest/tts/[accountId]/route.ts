import { handlePush } from "@/server/ingest/push";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** TTS v3 webhook (uplink message, JSON format): one ApplicationUp per POST. Secret: X-Webhook-Secret or Authorization: Bearer. */
export async function POST(req: Request, { params }: { params: Promise<{ accountId: string }> }) {
  return handlePush("tts", (await params).accountId, req);
}
