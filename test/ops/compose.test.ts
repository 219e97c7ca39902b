import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Service { image?: string; build?: unknown; healthcheck?: { test?: unknown; disable?: boolean }; restart?: string; depends_on?: Record<string, { condition: string }>; profiles?: string[]; command?: string[]; environment?: Record<string, string> }
const compose = parse(readFileSync("docker-compose.yml", "utf8"), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown>; secrets: Record<string, unknown> };

const composeCli = spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0;

describe("docker-compose.yml", () => {
  const s = compose.services;

  it("has every part of the product", () => {
    expect(Object.keys(s).sort()).toEqual(["collector", "dga", "grafana", "migrate", "mqtt", "notify", "postgres", "processor", "prometheus", "redis", "simulators", "web"].sort());
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
    for (const name of ["web", "collector", "processor", "dga", "notify", "mqtt"]) expect(s[name]?.depends_on?.migrate?.condition).toBe("service_completed_successfully");
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

  it("keeps secrets out of the file", () => {
    const text = readFileSync("docker-compose.yml", "utf8");
    expect(text).not.toMatch(/(AUTH_SECRET|ENCRYPTION_KEY|METRICS_TOKEN|PASSWORD):\s+['"]?[\w-]{8,}/);
  });

  it.skipIf(!composeCli)("is accepted by docker compose config", () => {
    const r = spawnSync("docker", ["compose", "--env-file", ".env.example", "-f", "docker-compose.yml", "config", "-q"], {
      encoding: "utf8", env: { ...process.env, POSTGRES_PASSWORD: "x", GRAFANA_ADMIN_PASSWORD: "x" },
    });
    expect(r.status, r.stderr).toBe(0);
  });
});
