import { z } from "zod";
import { AppError } from "@/domain/errors";
import type { RawReading } from "@/domain/measurements/types";
import type { ParseResult, Rejection } from "./types";
import { describeType, maybeJson, parseTimestamp, toFiniteNumber } from "./shared";

/**
 * JSONPath-lite: `$`, `.name`, `['name']`, `[n]` and `[*]` (fan-out). Relative paths (no `$`)
 * are read from the current item. Enough for the legacy "dynamic provider" mappings.
 */
type Segment = { kind: "prop"; name: string } | { kind: "index"; index: number } | { kind: "all" };

export function compilePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let rest = path.trim().replace(/^\$/, "");
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.?([A-Za-z_][\w-]*)/.exec(rest))) segments.push({ kind: "prop", name: m[1]! });
    else if ((m = /^\[\*\]|^\.\*/.exec(rest))) segments.push({ kind: "all" });
    else if ((m = /^\[(\d+)\]/.exec(rest))) segments.push({ kind: "index", index: Number(m[1]) });
    else if ((m = /^\[(['"])(.*?)\1\]/.exec(rest))) segments.push({ kind: "prop", name: m[2]! });
    else if ((m = /^\.(\d+)/.exec(rest))) segments.push({ kind: "prop", name: m[1]! });
    else
      throw new AppError("BAD_INPUT", `invalid path ${JSON.stringify(path)} near ${JSON.stringify(rest.slice(0, 12))}`);
    rest = rest.slice(m[0].length);
  }
  return segments;
}

/** All values the path selects (several only with `[*]`). */
export function selectPath(root: unknown, segments: readonly Segment[]): unknown[] {
  let current: unknown[] = [root];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const node of current) {
      if (seg.kind === "all") {
        if (Array.isArray(node)) next.push(...(node as unknown[]));
        else if (typeof node === "object" && node !== null) next.push(...Object.values(node));
      } else if (seg.kind === "index") {
        if (Array.isArray(node) && seg.index < node.length) next.push(node[seg.index]);
      } else if (typeof node === "object" && node !== null && Object.hasOwn(node, seg.name)) {
        next.push((node as Record<string, unknown>)[seg.name]);
      }
    }
    current = next;
  }
  return current;
}

const PathSchema = z.string().min(1);

const CustomMappingSchema = z
  .object({
    /** Path to the array of items, e.g. `$.data.rows[*]` (or `$.data.rows`). */
    itemsPath: PathSchema,
    tsPath: PathSchema,
    tsFormat: z.enum(["auto", "s", "ms", "iso"]).default("auto"),
    /** Long format: each item is one value; the key comes from `keyPath` or the constant `key`. */
    keyPath: PathSchema.optional(),
    key: z.string().min(1).optional(),
    valuePath: PathSchema.optional(),
    unitPath: PathSchema.optional(),
    idPath: PathSchema.optional(),
    /** Wide format: each item carries several values (`{key: "caudal", valuePath: "q"}`). */
    fields: z
      .array(z.object({ key: z.string().min(1), valuePath: PathSchema, unit: z.string().optional() }))
      .optional(),
    deviceRefPath: PathSchema.optional(),
  })
  .refine(
    (c) =>
      (c.fields?.length ?? 0) > 0 || (c.valuePath !== undefined && (c.keyPath !== undefined || c.key !== undefined)),
    {
      message: "give fields[] (wide) or valuePath with keyPath/key (long)",
    },
  );
export type CustomMappingConfig = z.input<typeof CustomMappingSchema>;

export interface CompiledCustomMapping {
  items: Segment[];
  ts: Segment[];
  tsFormat: "auto" | "s" | "ms" | "iso";
  id: Segment[] | null;
  deviceRef: Segment[] | null;
  fields: {
    key: string | null;
    keyPath: Segment[] | null;
    value: Segment[];
    unit: string | null;
    unitPath: Segment[] | null;
  }[];
}

/** Validates a mapping once (throws AppError BAD_INPUT); parsing with it never throws. */
export function compileCustomMapping(config: CustomMappingConfig): CompiledCustomMapping {
  const parsed = CustomMappingSchema.safeParse(config);
  if (!parsed.success)
    throw new AppError("BAD_INPUT", `custom mapping: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  const c = parsed.data;
  const opt = (p: string | undefined) => (p === undefined ? null : compilePath(p));
  const fields = c.fields?.length
    ? c.fields.map((f) => ({
        key: f.key,
        keyPath: null,
        value: compilePath(f.valuePath),
        unit: f.unit ?? null,
        unitPath: null,
      }))
    : [
        {
          key: c.key ?? null,
          keyPath: opt(c.keyPath),
          value: compilePath(c.valuePath!),
          unit: null,
          unitPath: opt(c.unitPath),
        },
      ];
  return {
    items: compilePath(c.itemsPath),
    ts: compilePath(c.tsPath),
    tsFormat: c.tsFormat,
    id: opt(c.idPath),
    deviceRef: opt(c.deviceRefPath),
    fields,
  };
}

const first = (node: unknown, path: Segment[] | null): unknown => (path ? selectPath(node, path)[0] : undefined);

/** Any JSON body + mapping → readings. Never throws: every unusable item or field is a rejection. */
export function parseCustom(body: unknown, mapping: CompiledCustomMapping, defaultDeviceRef: string): ParseResult {
  const root = maybeJson(body);
  const selected = selectPath(root, mapping.items);
  const items = selected.length === 1 && Array.isArray(selected[0]) ? (selected[0] as unknown[]) : selected;
  const readings: RawReading[] = [];
  const rejected: Rejection[] = [];
  if (selected.length === 0)
    rejected.push({ index: 0, reason: `items path matched nothing in a ${describeType(root)} body` });
  for (const [index, item] of items.entries()) {
    const tsRaw = first(item, mapping.ts);
    const measuredAt = parseTimestamp(tsRaw, mapping.tsFormat);
    if (!measuredAt) {
      rejected.push({
        index,
        reason: `timestamp ${JSON.stringify(tsRaw) ?? "missing"} is not epoch s/ms or a zoned ISO instant`,
      });
      continue;
    }
    const deviceRefRaw = first(item, mapping.deviceRef);
    const deviceRef =
      typeof deviceRefRaw === "string" || typeof deviceRefRaw === "number" ? String(deviceRefRaw) : defaultDeviceRef;
    const idRaw = first(item, mapping.id);
    for (const field of mapping.fields) {
      const keyRaw = field.key ?? first(item, field.keyPath);
      if (typeof keyRaw !== "string" && typeof keyRaw !== "number") {
        rejected.push({ index, reason: `key ${JSON.stringify(keyRaw) ?? "missing"} is not a string` });
        continue;
      }
      const key = String(keyRaw);
      const value = first(item, field.value);
      if (toFiniteNumber(value) === null && typeof value !== "boolean") {
        rejected.push({ index, reason: `${key}: value ${JSON.stringify(value) ?? "missing"} is not numeric` });
        continue;
      }
      const unitRaw = field.unit ?? first(item, field.unitPath);
      const baseId = typeof idRaw === "string" || typeof idRaw === "number" ? String(idRaw) : null;
      readings.push({
        deviceRef,
        key,
        measuredAt,
        rawValue: value as number | string | boolean,
        rawUnit: typeof unitRaw === "string" ? unitRaw : null,
        sourceId: baseId === null ? null : mapping.fields.length > 1 ? `${baseId}:${key}` : baseId,
      });
    }
  }
  return { readings, rejected };
}
