import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const CONFIG = "deploy/alertmanager/alertmanager.yml";
const hasAmtool = spawnSync("amtool", ["--version"]).status === 0;
if (!hasAmtool)
  console.warn(
    "SKIPPED amtool checks: amtool not installed (apt-get install -y prometheus-alertmanager; .ci/run does it)",
  );

function amtool(args: string[]) {
  const r = spawnSync("amtool", args, { encoding: "utf8" });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr };
}

interface Receiver {
  name: string;
  email_configs?: { to: string }[];
  webhook_configs?: { url: string; http_config?: { authorization?: { credentials_file?: string } } }[];
}
const config = parse(readFileSync(CONFIG, "utf8")) as { global: Record<string, string>; receivers: Receiver[] };
const severities = [
  ...new Set([...readFileSync("deploy/prometheus/rules.yml", "utf8").matchAll(/severity:\s*(\w+)/g)].map((m) => m[1]!)),
];

describe("alertmanager.yml", () => {
  it("gives every receiver somewhere to send, with secrets only as files", () => {
    for (const r of config.receivers)
      expect((r.email_configs?.length ?? 0) + (r.webhook_configs?.length ?? 0), r.name).toBeGreaterThan(0);
    expect(config.global.smtp_auth_password).toBeUndefined();
    expect(config.global.smtp_auth_password_file).toMatch(/^\/run\/secrets\//);
    for (const w of config.receivers.flatMap((r) => r.webhook_configs ?? []))
      expect(w.http_config?.authorization?.credentials_file).toMatch(/^\/run\/secrets\//);
    expect(severities.sort()).toEqual(["page", "ticket", "warning"]);
  });

  it.skipIf(!hasAmtool)("passes amtool check-config", () => {
    const r = amtool(["check-config", CONFIG]);
    expect(r.status, `${r.out}\n${r.err}`).toBe(0);
  });

  it.skipIf(!hasAmtool)("routes pages to the pager receiver and everything else to e-mail", () => {
    const route = (severity: string) =>
      amtool(["config", "routes", "test", `--config.file=${CONFIG}`, `severity=${severity}`, "alertname=Test"]).out;
    const expected: Record<string, string> = { page: "ops-pager", ticket: "ops-email", warning: "ops-email" };
    for (const s of severities) expect(route(s), s).toBe(expected[s]);
    expect(route("unknown")).toBe("ops-email");
    const pager = config.receivers.find((r) => r.name === "ops-pager")!;
    expect(pager.email_configs?.length && pager.webhook_configs?.length).toBeTruthy();
  });
});
