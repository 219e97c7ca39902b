import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { kustomizeBuild, type K8sObject } from "./kustomize";

type Json = Record<string, unknown>;
interface Container {
  name: string;
  image: string;
  resources?: { requests?: Json; limits?: Json };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  securityContext?: Json;
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
}

const OVERLAYS = ["staging", "production"] as const;
const builds = Object.fromEntries(OVERLAYS.map((o) => [o, kustomizeBuild(`deploy/k8s/overlays/${o}`)])) as Record<
  (typeof OVERLAYS)[number],
  K8sObject[]
>;
const base = kustomizeBuild("deploy/k8s/base");
const WORKER_KINDS = ["collector", "processor", "dga", "notify", "maintenance", "reports", "mqtt"];
const SECRET_KEYS = ["DATABASE_URL", "REDIS_URL", "AUTH_SECRET", "ENCRYPTION_KEY", "METRICS_TOKEN", "SMTP_URL"];

const podSpec = (o: K8sObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
const find = (objs: K8sObject[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);

/** kubernetes-models ships the OpenAPI-derived JSON schemas as compiled validators (offline). */
async function validate(o: K8sObject): Promise<void> {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  const mod = `kubernetes-models/${group ? `${group}/` : ""}${version}/${o.kind}`;
  const m = (await import(mod)) as Record<string, new (d: unknown) => { validate(): void }>;
  const Model = m[o.kind] ?? m.default;
  if (!Model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o).validate();
}

describe("kubernetes manifests", () => {
  const sets: [string, K8sObject[]][] = [["base", base], ...OVERLAYS.map((o): [string, K8sObject[]] => [o, builds[o]])];
  it.each(sets)("%s validates against the Kubernetes schemas", async (_name, objs) => {
    expect(objs.length).toBeGreaterThan(20);
    for (const o of objs) await expect(validate(o), `${o.kind}/${o.metadata.name}`).resolves.toBeUndefined();
  });

  it("the schema validation rejects a broken manifest", async () => {
    const bad = structuredClone(find(base, "Deployment", "smarthydro-web")!);
    (podSpec(bad).containers[0] as unknown as Json).image = 42;
    await expect(validate(bad)).rejects.toThrow(/image/);
  });

  it("has a Deployment for the web, the ingest gateway, the REST API and each worker kind, with resources, probes and non-root", () => {
    const deps = byKind(base, "Deployment");
    expect(deps.map((d) => d.metadata.name).sort()).toEqual(
      ["web", "ingest", "api", ...WORKER_KINDS].map((k) => `smarthydro-${k}`).sort(),
    );
    for (const d of deps) {
      const spec = podSpec(d);
      expect(spec.securityContext?.runAsNonRoot, d.metadata.name).toBe(true);
      for (const c of spec.containers) {
        expect(
          c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory,
          `${d.metadata.name} resources`,
        ).toBeTruthy();
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
        const web = d.metadata.name === "smarthydro-web";
        expect(c.livenessProbe?.httpGet?.path).toBe(web ? "/api/health?probe=live" : "/health/live");
        expect(c.readinessProbe?.httpGet?.path).toBe(web ? "/api/health" : "/health/ready");
        if (!web && d.metadata.name !== "smarthydro-ingest" && d.metadata.name !== "smarthydro-api")
          expect(c.env?.find((e) => e.name === "WORKERS")?.value).toBe(d.metadata.name.replace("smarthydro-", ""));
      }
    }
  });

  it("every Deployment (mqtt included) is annotated for Prometheus' pod discovery on a port it exposes", () => {
    for (const d of byKind(base, "Deployment")) {
      const tpl = (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
      const a = tpl.metadata.annotations ?? {};
      expect(a["prometheus.io/scrape"], d.metadata.name).toBe("true");
      const ports = podSpec(d).containers.flatMap((c) =>
        ((c as unknown as { ports?: { containerPort: number }[] }).ports ?? []).map((p) => String(p.containerPort)),
      );
      expect(ports, d.metadata.name).toContain(a["prometheus.io/port"]);
    }
  });

  it("keeps no report files on a pod's disk (they are in PostgreSQL, ADR 0008)", () => {
    expect((find(base, "ConfigMap", "smarthydro-config")!.data as Json).REPORTS_DIR).toBeUndefined();
    for (const o of [...byKind(base, "Deployment"), ...byKind(base, "Job")]) {
      const mounts = podSpec(o).containers.flatMap(
        (c) => (c as unknown as { volumeMounts?: { mountPath: string }[] }).volumeMounts ?? [],
      );
      expect(
        mounts.map((m) => m.mountPath),
        o.metadata.name,
      ).not.toContain("/app/var");
    }
  });

  it("references secrets through secretKeyRef and inlines no secret value", () => {
    expect(byKind(base, "Secret")).toEqual([]);
    for (const o of [...base, ...builds.production]) {
      if (o.kind !== "Deployment" && o.kind !== "Job") continue;
      for (const c of podSpec(o).containers) {
        for (const e of c.env ?? []) {
          if (SECRET_KEYS.includes(e.name))
            expect(e.valueFrom?.secretKeyRef?.name, `${o.metadata.name} ${e.name}`).toBe("smarthydro-secrets");
        }
      }
    }
    const cm = find(builds.production, "ConfigMap", "smarthydro-config")!;
    for (const k of SECRET_KEYS) expect((cm.data as Json)[k], k).toBeUndefined();
  });

  it("scales collector 3-10, processor 3-8, web 2-5 and protects them with PDBs", () => {
    const range = (n: string) => {
      const s = find(builds.production, "HorizontalPodAutoscaler", `smarthydro-${n}`)!.spec as {
        minReplicas: number;
        maxReplicas: number;
        scaleTargetRef: { name: string };
      };
      return [s.minReplicas, s.maxReplicas, s.scaleTargetRef.name];
    };
    expect(range("collector")).toEqual([3, 10, "smarthydro-collector"]);
    expect(range("processor")).toEqual([3, 8, "smarthydro-processor"]);
    expect(range("web")).toEqual([2, 5, "smarthydro-web"]);
    expect(range("ingest")).toEqual([2, 6, "smarthydro-ingest"]);
    expect(range("api")).toEqual([2, 6, "smarthydro-api"]);
    expect(
      byKind(base, "PodDisruptionBudget")
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([
      "smarthydro-api",
      "smarthydro-collector",
      "smarthydro-dga",
      "smarthydro-ingest",
      "smarthydro-processor",
      "smarthydro-web",
    ]);
  });

  it("denies by default and opens only the needed paths", () => {
    const np = (n: string) => find(base, "NetworkPolicy", n)?.spec as Json | undefined;
    expect(np("default-deny-all")).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const egressPorts = (n: string) =>
      (np(n)?.egress as { ports: { port: number }[] }[]).flatMap((e) => e.ports.map((p) => p.port));
    expect(egressPorts("allow-postgres-redis").sort()).toEqual([5432, 6379]);
    expect(egressPorts("dga-egress-mee")).toEqual([443]);
    expect(egressPorts("collector-egress-providers")).toEqual([443]);
    expect(
      (np("dga-egress-mee")?.podSelector as { matchLabels: Json }).matchLabels["app.kubernetes.io/component"],
    ).toBe("dga");
    expect(
      (np("web-from-ingress")?.podSelector as { matchLabels: Json }).matchLabels["app.kubernetes.io/component"],
    ).toBe("web");
    const metricsPorts = (np("metrics-from-prometheus")?.ingress as { ports: { port: number }[] }[])[0]!.ports.map(
      (p) => p.port,
    );
    expect(metricsPorts.sort()).toEqual([3000, 3100, 3200, 9464]);
    expect(
      (np("ingest-from-ingress")?.podSelector as { matchLabels: Json }).matchLabels["app.kubernetes.io/component"],
    ).toBe("ingest");
    expect(
      (np("api-from-ingress")?.podSelector as { matchLabels: Json }).matchLabels["app.kubernetes.io/component"],
    ).toBe("api");
  });

  it("overlays set namespace, image tag and environment config; a migration Job runs the CLI", () => {
    expect(new Set(builds.staging.map((o) => o.metadata.namespace))).toEqual(new Set(["smarthydro-staging"]));
    expect(podSpec(find(builds.production, "Deployment", "smarthydro-web")!).containers[0]!.image).toBe(
      "ghcr.io/smarthydro/smarthydro:0.1.0",
    );
    expect((find(builds.production, "ConfigMap", "smarthydro-config")!.data as Json).DGA_API_URL).toBe(
      "https://apimee.mop.gob.cl/api/v1",
    );
    expect((find(builds.staging, "HorizontalPodAutoscaler", "smarthydro-web")!.spec as Json).minReplicas).toBe(1);
    const job = find(builds.production, "Job", "smarthydro-migrate")!;
    expect(podSpec(job).containers[0]!.image).toBe("ghcr.io/smarthydro/smarthydro:0.1.0");
    expect((podSpec(job).containers[0] as unknown as { command: string[] }).command).toEqual([
      "node",
      "dist/app/cli.mjs",
      "migrate",
    ]);
  });

  it.each(sets)(
    "%s runs the ingest gateway and REST API bundles and routes /api/v1/ingest/ and /api/v1/ to them, the rest to the web",
    (_n, objs) => {
      const dep = find(objs, "Deployment", "smarthydro-ingest")!;
      const c = podSpec(dep).containers[0]! as Container & { command?: string[]; ports?: { containerPort: number }[] };
      expect(c.command).toEqual(["node", "dist/app/ingest.mjs"]);
      expect(c.ports?.map((p) => p.containerPort)).toEqual([3100]);
      expect(c.livenessProbe?.httpGet?.path).toBe("/health/live");
      expect(c.readinessProbe?.httpGet?.path).toBe("/health/ready");
      type Path = { path: string; backend: { service: { name: string } } };
      const ingress = find(objs, "Ingress", "smarthydro-web")!.spec as { rules: { http: { paths: Path[] } }[] };
      const paths = ingress.rules.flatMap((r) => r.http.paths.map((p) => [p.path, p.backend.service.name]));
      expect(paths).toEqual([
        ["/api/v1/ingest/", "smarthydro-ingest"],
        ["/api/v1/realtime/", "smarthydro-web"],
        ["/api/v1/analytics/reports/", "smarthydro-web"],
        ["/api/v1/", "smarthydro-api"],
        ["/", "smarthydro-web"],
      ]);
      expect(find(objs, "Service", "smarthydro-ingest")).toBeDefined();
      const api = podSpec(find(objs, "Deployment", "smarthydro-api")!).containers[0]! as Container & {
        command?: string[];
        ports?: { containerPort: number }[];
      };
      expect(api.command).toEqual(["node", "dist/app/api.mjs"]);
      expect(api.ports?.map((p) => p.containerPort)).toEqual([3200]);
      expect(find(objs, "Service", "smarthydro-api")).toBeDefined();
    },
  );

  const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;
  it.skipIf(!kubectl).each(OVERLAYS)("kubectl kustomize %s agrees with the test resolver", (o) => {
    const r = spawnSync("kubectl", ["kustomize", `deploy/k8s/overlays/${o}`], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const real = parseAllDocuments(r.stdout).map((d) => d.toJSON() as K8sObject);
    const key = (x: K8sObject) => `${x.kind}/${x.metadata.namespace}/${x.metadata.name}`;
    expect(real.map(key).sort()).toEqual(builds[o].map(key).sort());
    for (const x of real) expect(JSON.parse(JSON.stringify(builds[o].find((y) => key(y) === key(x))))).toEqual(x);
  });
});
