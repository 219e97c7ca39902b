import { spawnSync } from "node:child_process";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueConnection, queuePrefix } from "@/server/queues/connection";
import { closeQueues } from "@/server/queues/connection";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { createFixture, type Fixture } from "@/test/fixture";

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["bin/smarthydro.mjs", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, SMARTHYDRO_DOTENV: "0" },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let fx: Fixture;
beforeAll(async () => {
  await truncateAll();
  fx = await createFixture(getDb());
});
afterAll(async () => {
  await closeQueues();
  await closeAll();
});

describe("smarthydro CLI", () => {
  it("prints help and uses exit code 2 for usage errors", () => {
    const help = cli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["migrate", "seed-demo", "create-admin", "collect", "replay", "dga", "queues", "backup", "restore"])
      expect(help.out).toContain(c);
    expect(cli([]).code).toBe(2);
    expect(cli(["nope"]).code).toBe(2);
    for (const c of ["collect", "dga"]) {
      const h = cli([c, "--help"]);
      expect(h.code, c).toBe(0);
      expect(h.out, c).toMatch(/^Usage: smarthydro /);
    }
    expect(cli(["collect", "--point", "x"]).code).toBe(2);
    expect(cli(["replay", "--point", "1"]).code).toBe(2);
    expect(cli(["dga", "set-transport", "--point", "1", "--mode", "loud"]).code).toBe(2);
  }, 240_000);

  it("create-admin creates a staff admin from --password-stdin, and refuses duplicates", async () => {
    const r = cli(
      ["create-admin", "--email", "Ops@Example.cl", "--name", "Ops", "--password-stdin"],
      "a-long-enough-password\n",
    );
    expect(r.code, r.err).toBe(0);
    const u = await getDb().user.findUnique({ where: { email: "ops@example.cl" } });
    expect(u?.staffRole).toBe("admin");
    expect(u?.passwordHash).not.toContain("a-long-enough-password");
    expect(
      cli(
        ["create-admin", "--email", "ops@example.cl", "--name", "Ops", "--password-stdin"],
        "a-long-enough-password\n",
      ).code,
    ).toBe(1);
    expect(cli(["create-admin", "--email", "x@example.cl", "--name", "X", "--password-stdin"], "short\n").code).toBe(2);
  }, 180_000);

  it("queues inspect prints counts per queue", async () => {
    const q = new Queue("process-raw", { connection: queueConnection(), prefix: queuePrefix() });
    await q.add("process", { rawIds: ["1"] }, { jobId: "cli-inspect-1" });
    const r = cli(["queues", "inspect", "--json"]);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as { queue: string; waiting: number }[];
    expect(rows.find((x) => x.queue === "process-raw")?.waiting).toBe(1);
    expect(rows.map((x) => x.queue)).toContain("collect-tago");
    expect(cli(["queues", "inspect"]).out).toMatch(/process-raw\s+1\s/);
    await q.obliterate({ force: true });
    await q.close();
  }, 180_000);

  it("collect enqueues one backfill job per binding and day; replay re-enqueues raw payloads", async () => {
    const r = cli([
      "collect",
      "--point",
      String(fx.a.point.id),
      "--provider",
      "tago",
      "--from",
      "2026-11-01T00:00:00Z",
      "--to",
      "2026-11-04T00:00:00Z",
    ]);
    expect(r.code, r.err).toBe(0);
    const q = new Queue("collect-tago", { connection: queueConnection(), prefix: queuePrefix() });
    const jobs = await q.getJobs(["waiting"]);
    expect(
      jobs
        .map((j) => j.data as { bindingId: number; reason: string })
        .every((d) => d.bindingId === fx.a.binding.id && d.reason === "backfill"),
    ).toBe(true);
    expect(jobs).toHaveLength(3);
    expect(cli(["collect", "--point", String(fx.a.point.id), "--provider", "tdata"]).code).toBe(1);

    for (let i = 0; i < 150; i++) {
      await getPgPool().query(
        "INSERT INTO raw_payload (received_at, provider, binding_id, transport, body) VALUES ($1, 'tago', $2, 'poll', '{}')",
        [new Date(Date.UTC(2026, 10, 2, 0, i)), fx.a.binding.id],
      );
    }
    const rp = cli(["replay", "--point", String(fx.a.point.id), "--from", "2026-11-02", "--to", "2026-11-03"]);
    expect(rp.code, rp.err).toBe(0);
    expect(rp.out).toContain("150 raw payload(s)");
    const pr = new Queue("process-raw", { connection: queueConnection(), prefix: queuePrefix() });
    const replayed = await pr.getJobs(["waiting"]);
    expect(replayed.flatMap((j) => (j.data as { rawIds: string[] }).rawIds)).toHaveLength(150);
    await Promise.all([q.obliterate({ force: true }), pr.obliterate({ force: true })]);
    await Promise.all([q.close(), pr.close()]);
  }, 180_000);

  it("dga set-transport updates the point and lists work", async () => {
    const r = cli(["dga", "set-transport", "--point", String(fx.a.point.id), "--mode", "shadow"]);
    expect(r.code, r.err).toBe(0);
    expect((await getDb().capturePoint.findUnique({ where: { id: fx.a.point.id } }))?.dgaTransport).toBe("shadow");
    expect(cli(["dga", "list-failed"]).code).toBe(0);
    expect(cli(["dga", "list-due"]).code).toBe(0);
  }, 180_000);
});
