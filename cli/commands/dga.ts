import { getDb } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { UsageError, intArg, parse, progress, required, table, type Command } from "../lib";

const MODES = ["off", "shadow", "live"] as const;
const SUB = ["list-due", "list-failed", "backlog", "run-cycle", "verify-receipts", "set-transport"] as const;

/** Loaded on use, so the other CLI commands start without the DGA modules. */
async function dgaModules() {
  const [config, cycle, jobs, receipts] = await Promise.all([
    import("@/server/dga/config"),
    import("@/server/dga/cycle"),
    import("@/server/dga/jobs"),
    import("@/server/dga/receipts"),
  ]);
  return {
    dgaConfig: config.dgaConfig,
    runCycle: cycle.runCycle,
    enqueueSubmissions: jobs.enqueueSubmissions,
    verifyReceipt: receipts.verifyReceipt,
  };
}

async function listDue(limit: number) {
  const { rows } = await getPgPool().query(
    `SELECT s.id::text AS slot, p.id AS point, p.obra_code AS obra, s.slot_at, s.state, s.attempts, s.next_attempt_at
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE s.state IN ('pending', 'sending') AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now()) AND s.slot_at <= now()
     ORDER BY s.slot_at LIMIT $1`,
    [limit],
  );
  console.log(table(rows));
}

async function listFailed(limit: number) {
  const { rows } = await getPgPool().query(
    `SELECT s.id::text AS slot, p.id AS point, p.obra_code AS obra, s.slot_at, s.state, s.attempts, left(coalesce(s.last_error, array_to_string(s.reasons, ',')), 80) AS error
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE s.state IN ('failed', 'rejected', 'requires_review')
     ORDER BY s.slot_at DESC LIMIT $1`,
    [limit],
  );
  console.log(table(rows));
}

async function runCycleNow() {
  const m = await dgaModules();
  const summary = await m.runCycle({
    pool: getPgPool(),
    now: new Date(),
    cfg: m.dgaConfig({ workerId: "cli" }),
    dispatch: (planned) => m.enqueueSubmissions(planned),
  });
  if (!summary.ran) console.log("another DGA cycle is running (advisory lock held); nothing done");
  console.log(JSON.stringify(summary, null, 2));
}

async function verifyReceipts(limit: number, pointId?: number) {
  const m = await dgaModules();
  const cfg = m.dgaConfig({ workerId: "cli" });
  const { rows } = await getPgPool().query<{ id: string }>(
    `SELECT id::text AS id FROM dga_slot WHERE state = 'sent' AND receipt IS NOT NULL AND verified_at IS NULL AND ($2::int IS NULL OR point_id = $2)
     ORDER BY sent_at LIMIT $1`,
    [limit, pointId ?? null],
  );
  const counts: Record<string, number> = {};
  const bar = progress("verify receipts", rows.length);
  for (const r of rows) {
    const v = await m
      .verifyReceipt(getPgPool(), r.id, new Date(), cfg)
      .catch((e: unknown) => ({ status: `error: ${(e as Error).message}` }));
    counts[v.status] = (counts[v.status] ?? 0) + 1;
    bar.tick();
  }
  bar.finish();
  console.log(JSON.stringify(counts));
}

/** Owed hours without a row and each obra's due unsent slots (the figures behind the DGA alerts). */
async function backlog(limit: number) {
  const { dgaHealth } = await import("@/server/dga/health");
  const h = await dgaHealth(getPgPool(), new Date());
  console.log(`owed slots without a row: ${h.owedWithoutRow} (points: ${h.pointsWithHoles})`);
  console.log(
    table(h.backlog.slice(0, limit).map((b) => ({ point: b.pointId, obra: b.obraCode, due_unsent: b.slots }))),
  );
}

async function setTransport(pointId: number, mode: (typeof MODES)[number]) {
  const db = getDb();
  const before = await db.capturePoint.findUnique({
    where: { id: pointId },
    select: { dgaTransport: true, dgaGoLiveAt: true, clientId: true },
  });
  if (!before) throw new Error(`point ${pointId} does not exist`);
  // Going live starts the obligation (docs/DGA.md §1), unless staff already set its start.
  const goLive = mode === "live" && !before.dgaGoLiveAt ? { dgaGoLiveAt: new Date(), dgaSlotsCompleteUntil: null } : {};
  await db.capturePoint.update({ where: { id: pointId }, data: { dgaTransport: mode, ...goLive } });
  await db.auditLog.create({
    data: {
      actorLabel: "cli",
      action: "update",
      entity: "capture_point",
      entityId: String(pointId),
      clientId: before.clientId,
      before: { dgaTransport: before.dgaTransport, dgaGoLiveAt: before.dgaGoLiveAt },
      after: { dgaTransport: mode, ...goLive },
    },
  });
  console.log(`point ${pointId}: DGA transport ${before.dgaTransport} → ${mode}`);
}

export const dgaCommand: Command = {
  name: "dga",
  summary: "DGA (MEE) submissions: list-due, list-failed, backlog, run-cycle, verify-receipts, set-transport",
  help: `Usage: smarthydro dga <subcommand> [options]

  list-due          [--limit 50]          slots due now (pending/sending, next attempt reached)
  list-failed       [--limit 50]          slots failed, rejected or waiting for review
  backlog           [--limit 50]          owed hours without a slot row, and due unsent slots per obra
  run-cycle                               one DGA cycle now (create, fill, plan, enqueue sends)
  verify-receipts   [--point <id>] [--limit 50]  re-check receipts of sent slots with the MEE
  set-transport     --point <id> --mode off|shadow|live   how the point reports to the DGA (audited)

run-cycle and verify-receipts need the DGA pipeline (exit 2 when this build lacks it).`,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (!sub || !SUB.includes(sub as (typeof SUB)[number]))
      throw new UsageError(sub ? `unknown subcommand: ${sub}` : "missing subcommand");
    const { values } = parse(rest, { limit: { type: "string" }, point: { type: "string" }, mode: { type: "string" } });
    const limit = values.limit === undefined ? 50 : intArg(values.limit, "limit");
    switch (sub) {
      case "list-due":
        return listDue(limit);
      case "list-failed":
        return listFailed(limit);
      case "backlog":
        return backlog(limit);
      case "run-cycle":
        return runCycleNow();
      case "verify-receipts":
        return verifyReceipts(limit, values.point === undefined ? undefined : intArg(values.point, "point"));
      case "set-transport": {
        const mode = required(values.mode, "mode") as (typeof MODES)[number];
        if (!MODES.includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(", ")}`);
        return setTransport(intArg(values.point, "point"), mode);
      }
    }
  },
};
