import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Service {
  image?: string;
  ports?: string[];
  volumes?: string[];
  secrets?: string[];
  build?: unknown;
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync("docker-compose.yml", "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, unknown>;
};

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
}
const prometheus = parse(readFileSync("deploy/prometheus/prometheus.yml", "utf8")) as {
  scrape_configs: ScrapeConfig[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
};

const composeCli = spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0;

describe("docker-compose.yml", () => {
  const s = compose.services;

  it("has every part of the product", () => {
    expect(Object.keys(s).sort()).toEqual(
      [
        "alertmanager",
        "collector",
        "dga",
        "grafana",
        "ingest",
        "api",
        "migrate",
        "mqtt",
        "notify",
        "postgres",
        "processor",
        "prometheus",
        "redis",
        "simulators",
        "web",
      ].sort(),
    );
    expect(s.simulators?.profiles).toEqual(["demo"]);
  });

  it.each(Object.keys(compose.services))("%s has an image or build, a health check and a restart policy", (name) => {
    const svc = s[name]!;
    expect(svc.image ?? svc.build, "image/build").toBeTruthy();
    expect(svc.healthcheck, "healthcheck").toBeTruthy();
    if (name === "migrate") expect(svc.healthcheck?.disable).toBe(true);
    else expect(svc.healthcheck?.test).toBeTruthy();
    expect(svc.restart).toBe(name === "migrate" ? "no" : "unless-stopped");
  });

  it("depends_on only existing services, and app services wait for the migration", () => {
    for (const [name, svc] of Object.entries(s)) {
      for (const dep of Object.keys(svc.depends_on ?? {})) expect(s[dep], `${name} → ${dep}`).toBeDefined();
    }
    for (const name of ["web", "ingest", "api", "collector", "processor", "dga", "notify", "mqtt"])
      expect(s[name]?.depends_on?.migrate?.condition).toBe("service_completed_successfully");
    expect(s.migrate?.depends_on?.postgres?.condition).toBe("service_healthy");
  });

  it("runs each worker kind and mounts named volumes that exist", () => {
    expect(s.collector?.environment?.WORKERS).toBe("collector");
    expect(s.processor?.environment?.WORKERS).toBe("processor");
    expect(s.dga?.environment?.WORKERS).toBe("dga");
    for (const svc of Object.values(s)) {
      for (const v of (svc as { volumes?: string[] }).volumes ?? []) {
        const src = v.split(":")[0]!;
        if (!src.startsWith(".")) expect(compose.volumes[src], src).toBeDefined();
      }
    }
    expect(compose.secrets.metrics_token).toBeDefined();
  });

  it("Prometheus scrapes every worker service on its METRICS_PORT and the web", () => {
    const workers = Object.entries(s).filter(([, svc]) => svc.environment?.WORKERS);
    expect(workers.map(([n]) => n).sort()).toEqual(["collector", "dga", "mqtt", "notify", "processor"]);
    const targets = prometheus.scrape_configs.flatMap((c) => (c.static_configs ?? []).flatMap((sc) => sc.targets));
    for (const [name, svc] of workers) expect(targets, name).toContain(`${name}:${svc.environment?.METRICS_PORT}`);
    expect(targets).toContain("web:3000");
    expect(targets).toContain("ingest:3100");
    expect(targets).toContain("api:3200");
    expect(s.api?.command).toEqual(["node", "dist/app/api.mjs"]);
    expect(s.api?.environment?.API_PORT).toBe("3200");
    expect(s.ingest?.command).toEqual(["node", "dist/app/ingest.mjs"]);
    expect(s.ingest?.environment?.INGEST_PORT).toBe("3100");
    expect(s.mqtt?.environment?.METRICS_PORT).toBe("9464");
  });

  it("routes alerts: Prometheus sends to the alertmanager service, which mounts its config and secrets", () => {
    const am = s.alertmanager!;
    expect(am.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
    expect(am.ports).toContain("${ALERTMANAGER_PORT:-9093}:9093");
    expect(am.volumes).toContain("./deploy/alertmanager:/etc/alertmanager:ro");
    expect(am.command).toContain("--config.file=/etc/alertmanager/alertmanager.yml");
    const amTargets = prometheus.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((sc) => sc.targets));
    expect(amTargets).toEqual(["alertmanager:9093"]);
    // Every /run/secrets/<name> the Alertmanager config reads is a compose secret mounted on the service.
    const files = [
      ...readFileSync("deploy/alertmanager/alertmanager.yml", "utf8").matchAll(/\/run\/secrets\/([\w-]+)/g),
    ].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(am.secrets, f).toContain(f);
      expect(compose.secrets[f], f).toBeDefined();
    }
  });

  it("keeps secrets out of the file", () => {
    const text = readFileSync("docker-compose.yml", "utf8");
    expect(text).not.toMatch(/(AUTH_SECRET|ENCRYPTION_KEY|METRICS_TOKEN|PASSWORD):\s+['"]?[\w-]{8,}/);
  });

  it.skipIf(!composeCli)("is accepted by docker compose config", () => {
    const r = spawnSync(
      "docker",
      ["compose", "--env-file", ".env.example", "-f", "docker-compose.yml", "config", "-q"],
      {
        encoding: "utf8",
        env: { ...process.env, POSTGRES_PASSWORD: "x", GRAFANA_ADMIN_PASSWORD: "x" },
      },
    );
    expect(r.status, r.stderr).toBe(0);
  });
});
