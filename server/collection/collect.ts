import type pg from "pg";
import { AppError } from "@/domain/errors";
import type { Db } from "@/server/db";
import { bodyHash, claimBody, confirmBody, releaseBody } from "@/server/ingest/dedupe";
import { metrics } from "@/server/metrics/registry";
import { insertRawPayloads, RAW_META, type RawPayloadInput } from "@/server/ingest/raw-store";
import { providersConfig } from "@/server/integrations/providers/config";
import { loadBindingCtx } from "@/server/integrations/providers/load";
import { adapterFor } from "@/server/integrations/providers/registry";
import type { BindingCtx, Cursor, FetchPage } from "@/server/integrations/providers/types";
import type { CollectJob } from "./jobs";
import { accountPause } from "./pause";
import { chunks, explicitWindow, scheduledWindow, type Window } from "./windows";

export interface CollectDeps {
  prisma: Db;
  sql: pg.Pool;
  now: () => Date;
  enqueueProcessRaw: (ids: string[]) => Promise<void>;
  /** Chunks already done by an earlier attempt of the same job (BullMQ progress): skipped on retry. */
  doneChunks?: number;
  onProgress?: (p: CollectProgress) => Promise<void>;
}

export interface CollectProgress {
  chunk: number;
  chunks: number;
  readings: number;
  stored: number;
  from: string;
  to: string;
}

export interface CollectResult {
  bindingId: number;
  skipped?: string;
  windows: number;
  pages: number;
  readings: number;
  stored: number;
  duplicates: number;
  watermarkAt: string | null;
}

/** Stores every body raw (deduped by content per binding), then enqueues the accepted ones for processing. */
async function storePage(
  b: BindingCtx,
  page: FetchPage,
  w: Window,
  deps: CollectDeps,
): Promise<{ stored: number; duplicates: number }> {
  const fresh: { row: RawPayloadInput; hash: string }[] = [];
  let duplicates = 0;
  for (const body of page.bodies) {
    const hash = bodyHash(body.key ?? "", body.body);
    if ((await claimBody(`b${b.id}`, hash)) !== null) {
      duplicates++;
      continue;
    }
    const headers: Record<string, string> = {
      [RAW_META.deviceRef]: b.deviceRef,
      "x-sh-window": `${w.from.toISOString()}/${w.to.toISOString()}`,
    };
    if (body.key !== undefined) Object.assign(headers, { [RAW_META.key]: body.key });
    fresh.push({
      hash,
      row: {
        provider: b.account.kind,
        accountId: b.account.id,
        bindingId: b.id,
        transport: "pull",
        headers,
        body: body.body,
        receivedAt: deps.now(),
        status: body.error ? "rejected" : "accepted",
        error: body.error ?? null,
      },
    });
  }
  if (fresh.length === 0) return { stored: 0, duplicates };
  let ids: string[];
  try {
    ids = await insertRawPayloads(
      deps.sql,
      fresh.map((f) => f.row),
    );
    await deps.enqueueProcessRaw(ids.filter((_id, i) => fresh[i]!.row.status === "accepted"));
  } catch (e) {
    await Promise.all(fresh.map((f) => releaseBody(`b${b.id}`, f.hash)));
    throw e;
  }
  const ttl = providersConfig().push.dedupeTtlSec;
  await Promise.all(fresh.map((f, i) => confirmBody(`b${b.id}`, f.hash, ids[i]!, ttl)));
  return { stored: ids.length, duplicates };
}

/**
 * One collect job: resolve the window(s), walk the adapter's pages, store raw first, enqueue, and
 * advance the watermark after each completed chunk (chunks run oldest first, so it never skips).
 */
export async function runCollect(job: CollectJob, deps: CollectDeps): Promise<CollectResult> {
  const result: CollectResult = {
    bindingId: job.bindingId,
    windows: 0,
    pages: 0,
    readings: 0,
    stored: 0,
    duplicates: 0,
    watermarkAt: null,
  };
  const pushOnly = await deps.prisma.pointBinding.findUnique({
    where: { id: job.bindingId },
    select: { pushOnly: true, account: { select: { pushOnly: true } } },
  });
  if (pushOnly && (pushOnly.pushOnly || pushOnly.account.pushOnly))
    return { ...result, skipped: "push-only: data arrive by push, never polled" };
  const b = await loadBindingCtx(deps.prisma, job.bindingId);
  if (!b) return { ...result, skipped: "binding or account inactive or missing" };
  const paused = await accountPause.remainingMs(b.account.id);
  if (paused > 0)
    throw new AppError("PROVIDER_RATE_LIMITED", `${b.account.kind}: account ${b.account.id} is rate limited`, {
      retryAfterMs: paused,
    });

  const adapter = adapterFor(b.account.kind);
  const cfg = b.account.config;
  const now = deps.now();
  const row = await deps.prisma.pointBinding.findUniqueOrThrow({ where: { id: b.id }, select: { watermarkAt: true } });
  let watermark = row.watermarkAt;

  const window =
    job.from && job.to
      ? explicitWindow(new Date(job.from), new Date(job.to), cfg, now)
      : scheduledWindow(watermark, cfg, now);
  if (!window)
    return {
      ...result,
      skipped: "window is empty after clipping to lag and retention",
      watermarkAt: watermark?.toISOString() ?? null,
    };
  const list = adapter.capabilities.range ? chunks(window, cfg.chunkMs) : [window];
  result.windows = list.length;

  for (const [i, w] of list.entries()) {
    if (i < (deps.doneChunks ?? 0)) continue;
    let cursor: Cursor | null = null;
    let maxSeen: Date | null = null;
    for (let pages = 0; ; pages++) {
      if (pages >= cfg.maxPages)
        throw new AppError(
          "PROVIDER_PERMANENT",
          `${b.account.kind}: more than ${cfg.maxPages} pages in ${w.from.toISOString()}..${w.to.toISOString()}; lower chunk_sec`,
        );
      const page: FetchPage = adapter.capabilities.range
        ? await adapter.fetchRange(b, { from: w.from, to: w.to, cursor })
        : await adapter.fetchLatest(b);
      const s = await storePage(b, page, w, deps);
      metrics.ingestPayloads.inc(
        { provider: b.account.kind, transport: "poll", status: page.failure ? "error" : "accepted" },
        s.stored,
      );
      if (s.duplicates)
        metrics.ingestPayloads.inc({ provider: b.account.kind, transport: "poll", status: "duplicate" }, s.duplicates);
      metrics.ingestReadings.inc({ provider: b.account.kind }, page.readings);
      result.pages++;
      result.readings += page.readings;
      result.stored += s.stored;
      result.duplicates += s.duplicates;
      if (page.maxMeasuredAt && (!maxSeen || page.maxMeasuredAt > maxSeen)) maxSeen = page.maxMeasuredAt;
      if (page.failure) throw page.failure;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    // Clamped to the window end: a device clock in the future must not push the next windows past now.
    const reached = maxSeen && maxSeen > w.to ? w.to : maxSeen;
    if (job.reason === "backfill") {
      // A backfill has its own cursor: moving the live watermark (even "forward" from null) would make the next poll re-read months.
      await deps.prisma.pointBinding.update({
        where: { id: b.id },
        data: {
          backfillCursor: {
            from: window.from.toISOString(),
            to: window.to.toISOString(),
            reachedAt: w.to.toISOString(),
          },
        },
      });
    } else if (reached && (!watermark || reached > watermark)) {
      watermark = reached;
      await deps.prisma.pointBinding.update({ where: { id: b.id }, data: { watermarkAt: watermark } });
    }
    await deps.onProgress?.({
      chunk: i + 1,
      chunks: list.length,
      readings: result.readings,
      stored: result.stored,
      from: w.from.toISOString(),
      to: w.to.toISOString(),
    });
  }

  const at = deps.now();
  await deps.prisma.pointBinding.update({
    where: { id: b.id },
    data: { lastSuccessAt: at, lastError: null, lastErrorClass: null },
  });
  await deps.prisma.providerAccount.update({ where: { id: b.account.id }, data: { lastSuccessAt: at } });
  return { ...result, watermarkAt: watermark?.toISOString() ?? null };
}
