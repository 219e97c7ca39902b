import { getDb } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { PROVIDER_KINDS, type ProviderKindName } from "@/server/queues/definitions";
import { enqueueCollectJobs, type CollectEnqueue } from "@/server/collection/jobs";
import { enqueueProcessRawRound, processRawJob } from "@/server/processing/jobs";
import { UsageError, dateArg, intArg, parse, progress, type Command } from "../lib";

const DAY_MS = 24 * 3600 * 1000;
const REPLAY_CHUNK = 100;

function range(values: { from?: string; to?: string }): { from: Date; to: Date } | null {
  if (values.from === undefined && values.to === undefined) return null;
  const from = dateArg(values.from, "from");
  const to = values.to === undefined ? new Date() : dateArg(values.to, "to");
  if (from >= to) throw new UsageError("--from must be before --to");
  return { from, to };
}

export const collectCommand: Command = {
  name: "collect",
  summary: "enqueue collection (now) or a backfill (--from/--to) for a point's provider bindings",
  help: `Usage: smarthydro collect --point <id> [--provider <kind>] [--from <iso> [--to <iso>]]

Enqueues collect jobs on collect-<kind> for every active binding of the point (only those of
--provider when given; kinds: ${PROVIDER_KINDS.join(", ")}).
Without --from: one "manual" job per binding (from the watermark to now).
With --from (and --to, default now): "backfill" jobs in one-day windows. Job ids are deterministic
(the same scheme as the API's), so running the same backfill twice does not duplicate work.`,
  async run(argv) {
    const { values } = parse(argv, {
      point: { type: "string" },
      provider: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
    });
    const pointId = intArg(values.point, "point");
    const provider = values.provider as ProviderKindName | undefined;
    if (provider !== undefined && !PROVIDER_KINDS.includes(provider))
      throw new UsageError(`--provider must be one of ${PROVIDER_KINDS.join(", ")}`);
    const window = range(values);
    const bindings = await getDb().pointBinding.findMany({
      where: { pointId, active: true, ...(provider ? { account: { kind: provider } } : {}) },
      select: { id: true, account: { select: { kind: true } } },
    });
    if (bindings.length === 0)
      throw new Error(`point ${pointId} has no active binding${provider ? ` for provider ${provider}` : ""}`);
    const jobs: CollectEnqueue[] = [];
    const at = new Date().toISOString();
    for (const b of bindings) {
      if (!window) {
        jobs.push({ kind: b.account.kind, data: { bindingId: b.id, reason: "manual", at } });
        continue;
      }
      for (let t = window.from.getTime(); t < window.to.getTime(); t += DAY_MS) {
        const from = new Date(t).toISOString();
        const to = new Date(Math.min(t + DAY_MS, window.to.getTime())).toISOString();
        jobs.push({ kind: b.account.kind, data: { bindingId: b.id, reason: "backfill", from, to } });
      }
    }
    const bar = progress("enqueue collect", jobs.length);
    for (const j of jobs) {
      await enqueueCollectJobs([j]);
      bar.tick();
    }
    bar.finish();
    console.log(`${jobs.length} collect job(s) enqueued for ${bindings.length} binding(s) of point ${pointId}`);
  },
};

export const replayCommand: Command = {
  name: "replay",
  summary: "re-enqueue a point's raw payloads of a time range for processing",
  help: `Usage: smarthydro replay --point <id> --from <iso> [--to <iso>]

Selects the raw payloads received for the point's bindings with received_at in [from, to) and
enqueues them on ${processRawJob.queue} in chunks of ${REPLAY_CHUNK}. Processing is idempotent
(same point, variable and instant), so a replay never duplicates readings.`,
  async run(argv) {
    const { values } = parse(argv, { point: { type: "string" }, from: { type: "string" }, to: { type: "string" } });
    const pointId = intArg(values.point, "point");
    if (values.from === undefined) throw new UsageError("missing --from");
    const { from, to } = range(values)!;
    const { rows } = await getPgPool().query<{ id: string }>(
      `SELECT r.id::text AS id FROM raw_payload r
       WHERE r.binding_id IN (SELECT id FROM point_binding WHERE point_id = $1) AND r.received_at >= $2 AND r.received_at < $3
       ORDER BY r.received_at, r.id`,
      [pointId, from, to],
    );
    const bar = progress("enqueue replay", rows.length);
    const round = `replay-${Date.now()}`;
    for (let i = 0; i < rows.length; i += REPLAY_CHUNK) {
      const rawIds = rows.slice(i, i + REPLAY_CHUNK).map((r) => r.id);
      await enqueueProcessRawRound(rawIds, { round, chunk: REPLAY_CHUNK });
      bar.tick(rawIds.length);
    }
    bar.finish();
    console.log(
      `${rows.length} raw payload(s) of point ${pointId} enqueued in ${Math.ceil(rows.length / REPLAY_CHUNK)} job(s)`,
    );
  },
};
