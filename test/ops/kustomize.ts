import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse } from "yaml";

/**
 * A small offline kustomize: resources (files and directories), namespace, images, strategic-merge
 * patches (objects merged, named lists merged by name) and JSON6902 patches (add/replace/remove).
 * Enough for deploy/k8s; the tests also compare it with `kubectl kustomize` when kubectl exists.
 */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};
type Json = Record<string, unknown>;
interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[];
}

function loadYamlDocs(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJSON() as K8sObject)
    .filter(Boolean);
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function strategicMerge(base: unknown, patch: unknown): unknown {
  if (
    Array.isArray(base) &&
    Array.isArray(patch) &&
    [...base, ...patch].every((x) => isObj(x) && typeof x.name === "string")
  ) {
    const out = base.map((b) => ({ ...(b as Json) }));
    for (const p of patch as Json[]) {
      const i = out.findIndex((b) => b.name === p.name);
      if (i >= 0) out[i] = strategicMerge(out[i], p) as Json;
      else out.push(p);
    }
    return out;
  }
  if (isObj(base) && isObj(patch)) {
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = k in base ? strategicMerge(base[k], v) : v;
    return out;
  }
  return patch;
}

function jsonPatch(obj: K8sObject, ops: { op: string; path: string; value?: unknown }[]): void {
  for (const { op, path, value } of ops) {
    const keys = path
      .split("/")
      .slice(1)
      .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop()!;
    let cur: Json | unknown[] = obj;
    for (const k of keys) cur = (Array.isArray(cur) ? cur[Number(k)] : cur[k]) as Json | unknown[];
    if (cur === undefined) throw new Error(`patch path not found: ${path}`);
    if (Array.isArray(cur)) {
      const i = last === "-" ? cur.length : Number(last);
      if (op === "remove") cur.splice(i, 1);
      else if (op === "add") cur.splice(i, 0, value);
      else cur[i] = value;
    } else if (op === "remove") delete cur[last];
    else {
      if (op === "replace" && !(last in cur)) throw new Error(`replace of a missing path: ${path}`);
      cur[last] = value;
    }
  }
}

function setImages(node: unknown, images: NonNullable<Kustomization["images"]>): void {
  if (Array.isArray(node)) return node.forEach((n) => setImages(n, images));
  if (!isObj(node)) return;
  for (const key of ["containers", "initContainers"]) {
    for (const c of (node[key] as Json[] | undefined) ?? []) {
      const image = String(c.image);
      const [name, tag] = image.includes("@")
        ? [image, undefined]
        : [image.replace(/:[^:/]+$/, ""), /:([^:/]+)$/.exec(image)?.[1]];
      const rule = images.find((i) => i.name === name);
      if (rule) c.image = `${rule.newName ?? name}${rule.newTag ? `:${rule.newTag}` : tag ? `:${tag}` : ""}`;
    }
  }
  for (const v of Object.values(node)) setImages(v, images);
}

export function kustomizeBuild(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization;
  let objs: K8sObject[] = [];
  for (const r of k.resources ?? []) {
    const p = join(dir, r);
    objs.push(...(statSync(p).isDirectory() ? kustomizeBuild(p) : loadYamlDocs(p)));
  }
  for (const patch of k.patches ?? []) {
    const docs = patch.path ? loadYamlDocs(join(dir, patch.path)) : [parse(patch.patch ?? "") as unknown];
    if (Array.isArray(docs[0])) {
      const targets = objs.filter(
        (o) =>
          (!patch.target?.kind || o.kind === patch.target.kind) &&
          (!patch.target?.name || o.metadata.name === patch.target.name),
      );
      if (targets.length === 0) throw new Error(`patch target not found: ${JSON.stringify(patch.target)}`);
      for (const t of targets) jsonPatch(t, docs[0] as { op: string; path: string }[]);
      continue;
    }
    for (const p of docs as K8sObject[]) {
      const i = objs.findIndex((o) => o.kind === p.kind && o.metadata.name === p.metadata.name);
      if (i < 0) throw new Error(`patch target not found: ${p.kind}/${p.metadata.name}`);
      objs[i] = strategicMerge(objs[i], p) as K8sObject;
    }
  }
  if (k.images) setImages(objs, k.images);
  if (k.namespace) objs = objs.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: k.namespace } }));
  return objs;
}
