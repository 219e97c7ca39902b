import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
if (!hasPromtool)
  console.warn("SKIPPED promtool checks: promtool not installed (apt-get install -y prometheus; .ci/run does it)");

function promtool(args: string[]) {
  const r = spawnSync("promtool", args, { encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Copies deploy/prometheus to a temp dir with the absolute container paths rewritten to it. */
function stage(configFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sh-prom-"));
  cpSync("deploy/prometheus", dir, { recursive: true });
  writeFileSync(join(dir, "token"), "test-token-0123456789");
  const text = readFileSync(join(dir, configFile), "utf8")
    .replaceAll("/etc/prometheus/rules.yml", join(dir, "rules.yml"))
    .replaceAll("/run/secrets/metrics_token", join(dir, "token"))
    .replaceAll("/etc/prometheus/secrets/metrics-token", join(dir, "token"));
  writeFileSync(join(dir, configFile), text);
  return join(dir, configFile);
}

describe.skipIf(!hasPromtool)("promtool", () => {
  it("accepts the alerting and recording rules", () => {
    const r = promtool(["check", "rules", "deploy/prometheus/rules.yml"]);
    expect(r.out).toContain("SUCCESS");
    expect(r.status, r.out).toBe(0);
  });

  it.each(["prometheus.yml", "prometheus-k8s.yml"])("accepts %s", (file) => {
    const staged = stage(file);
    let r = promtool(["check", "config", staged]);
    if (r.status !== 0 && r.out.includes("kubernetes_sd_configs not found")) {
      // Debian builds Prometheus without Kubernetes discovery: check the rest with static targets.
      const cfg = parse(readFileSync(staged, "utf8")) as { scrape_configs: Record<string, unknown>[] };
      for (const sc of cfg.scrape_configs) {
        if (!sc.kubernetes_sd_configs) continue;
        delete sc.kubernetes_sd_configs;
        sc.static_configs = [{ targets: ["pod:9464"] }];
      }
      writeFileSync(staged, stringify(cfg));
      r = promtool(["check", "config", staged]);
    }
    expect(r.status, r.out).toBe(0);
  });

  it("passes the rule unit tests (burn rates, fleet offline, collector stalled, DGA holes and backlog)", () => {
    const dir = stage("prometheus.yml").replace(/prometheus\.yml$/, "");
    cpSync("test/ops/fixtures/rules.test.yml", join(dir, "rules.test.yml"));
    const r = promtool(["test", "rules", join(dir, "rules.test.yml")]);
    expect(r.status, r.out).toBe(0);
  }, 60_000);
});
