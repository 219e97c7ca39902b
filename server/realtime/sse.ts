import type { Redis } from "ioredis";
import { realtimeKeys, type RealtimeEvent } from "./latest";

export interface SseOptions {
  prefix: string;
  /** Clients whose channels are streamed; null = every client (staff). */
  clientIds: readonly number[] | null;
  /** Latest values to send first, read after subscribing so nothing published meanwhile is missed. */
  snapshot: () => Promise<RealtimeEvent[]>;
  /** A dedicated connection (a subscribed connection can run nothing else); quit when the stream ends. */
  createSubscriber: () => Redis;
  signal?: AbortSignal;
  heartbeatMs?: number;
  /** Called on every heartbeat and once when the stream ends (the caller's stream slot). */
  onHeartbeat?: () => void;
  onClose?: () => void;
}

const enc = new TextEncoder();
const sseFrame = (event: string, data: unknown): Uint8Array =>
  enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

/** Server-sent events of realtime point updates for the given tenants: `snapshot`, then `latest`/`status` as published. */
export function realtimeSseStream(opts: SseOptions): ReadableStream<Uint8Array> {
  let sub: Redis | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let closed = false;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    opts.onClose?.();
    const s = sub;
    sub = null;
    if (s) void s.quit().catch(() => s.disconnect());
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(sseFrame(event, data));
        } catch {
          cleanup();
        }
      };
      const allowed = opts.clientIds === null ? null : new Set(opts.clientIds);
      sub = opts.createSubscriber();
      const onMessage = (_channel: string, message: string) => {
        const ev = JSON.parse(message) as RealtimeEvent;
        if (allowed && !allowed.has(ev.clientId)) return;
        send(ev.type, ev);
      };
      sub.on("message", onMessage);
      sub.on("pmessage", (_p: string, channel: string, message: string) => onMessage(channel, message));
      opts.signal?.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
      if (opts.clientIds === null) await sub.psubscribe(realtimeKeys.clientPattern(opts.prefix));
      else if (opts.clientIds.length)
        await sub.subscribe(...opts.clientIds.map((id) => realtimeKeys.clientChannel(opts.prefix, id)));
      send("snapshot", await opts.snapshot());
      heartbeat = setInterval(() => {
        if (closed) return;
        opts.onHeartbeat?.();
        try {
          controller.enqueue(enc.encode(`: ping\n\n`));
        } catch {
          cleanup();
        }
      }, opts.heartbeatMs ?? 15_000);
    },
    cancel() {
      cleanup();
    },
  });
}
