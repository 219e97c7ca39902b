import { providerParsers } from "@/domain/providers";
import type { RawReading } from "@/domain/measurements/types";
import type { ProviderKind } from "@/domain/providers/types";
import { DEMO_FLEET, fleetFor, type FleetWell } from "@/simulators/providers/fleet";
import type { SimHandle } from "@/simulators/providers/http-kit";
import { createTagoSimulator } from "@/simulators/providers/tago";
import { createTdataSimulator } from "@/simulators/providers/tdata";
import { createThethingsioSimulator } from "@/simulators/providers/thethingsio";
import { createTtsSimulator } from "@/simulators/providers/tts";
import { providersConfig, type KindConfig } from "./config";
import { adapterFor } from "./registry";
import type { AccountCtx, BindingCtx, Cursor, FetchedBody } from "./types";

export type SimKind = Exclude<ProviderKind, "custom">;

/** A settable clock shared by the simulators and the code under test. */
export function testClock(start: Date) {
  let t = start.getTime();
  return { now: () => new Date(t), set: (d: Date) => void (t = d.getTime()), advance: (ms: number) => void (t += ms) };
}

/** The four simulators in-process on port 0 with the demo fleet. */
export async function startSims(
  now: () => Date,
  opts: { tdataTokenTtlSec?: number; tagoRateLimitPerMinute?: number } = {},
) {
  const f = DEMO_FLEET.accounts;
  const sims: Record<SimKind, SimHandle> = {
    tdata: createTdataSimulator({
      users: [{ username: f.tdata.username, password: f.tdata.password }],
      devices: fleetFor("tdata"),
      now,
      tokenTtlSec: opts.tdataTokenTtlSec,
    }),
    tts: createTtsSimulator({
      apiKeys: [{ key: f.tts.apiKey, applicationIds: [f.tts.applicationId] }],
      devices: fleetFor("tts"),
      now,
    }),
    thethingsio: createThethingsioSimulator({ devices: fleetFor("thethingsio"), now }),
    tago: createTagoSimulator({ devices: fleetFor("tago"), now, rateLimitPerMinute: opts.tagoRateLimitPerMinute }),
  };
  const roots = {} as Record<SimKind, string>;
  for (const k of Object.keys(sims) as SimKind[]) roots[k] = (await sims[k].listen(0)).url;
  const base: Record<SimKind, string> = {
    tdata: `${roots.tdata}${f.tdata.basePath}`,
    tts: `${roots.tts}${f.tts.basePath}`,
    thethingsio: `${roots.thethingsio}${f.thethingsio.basePath}`,
    tago: `${roots.tago}${f.tago.basePath}`,
  };
  return {
    sims,
    roots,
    base,
    fault: (k: SimKind, faults: unknown) =>
      fetch(`${roots[k]}/__admin/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(faults),
      }).then((r) => r.json()),
    reset: (k: SimKind) => fetch(`${roots[k]}/__admin/reset`, { method: "POST" }).then((r) => r.json()),
    close: () => Promise.all(Object.values(sims).map((s) => s.close())),
  };
}

/** Credentials an account needs to read the whole demo fleet of one kind. */
export function fleetCredentials(kind: SimKind): Record<string, string> {
  const f = DEMO_FLEET.accounts;
  if (kind === "tdata") return { username: f.tdata.username, password: f.tdata.password };
  if (kind === "tts") return { apiKey: f.tts.apiKey };
  if (kind === "thethingsio")
    return Object.fromEntries(fleetFor("thethingsio").map((w) => [w.deviceRef, w.thingToken]));
  return Object.fromEntries(fleetFor("tago").map((w) => [w.deviceRef, w.deviceToken]));
}

export function accountFor(
  kind: SimKind,
  baseUrl: string,
  id: number,
  overrides: Partial<KindConfig> = {},
): AccountCtx {
  return {
    id,
    kind,
    baseUrl,
    credentials: fleetCredentials(kind),
    settings: {},
    config: { ...providersConfig().kinds[kind], ...overrides },
  };
}

export function bindingFor(account: AccountCtx, well: FleetWell, id = 1): BindingCtx {
  return { id, deviceRef: well.deviceRef, pointId: id, keys: well.variables.map((v) => v.key), account };
}

/** What the processor will read out of stored bodies (same parsers, same context). */
export function readingsOf(kind: ProviderKind, deviceRef: string, bodies: readonly FetchedBody[]): RawReading[] {
  const p = providerParsers(kind);
  return bodies.flatMap((b) =>
    b.error ? [] : p.parsePull(kind === "tts" ? b.body : JSON.parse(b.body), { deviceRef, key: b.key }).readings,
  );
}

/** Ground truth for collector tests: every reading of a binding over [from, to), all pages walked straight against the simulator. */
export async function walkRange(kind: ProviderKind, binding: BindingCtx, from: Date, to: Date): Promise<RawReading[]> {
  const bodies: FetchedBody[] = [];
  let cursor: Cursor | null = null;
  do {
    const page = await adapterFor(kind).fetchRange(binding, { from, to, cursor });
    bodies.push(...page.bodies);
    cursor = page.nextCursor;
  } while (cursor);
  return readingsOf(kind, binding.deviceRef, bodies);
}

export const readingId = (r: RawReading) =>
  `${r.deviceRef}|${r.key}|${r.measuredAt.toISOString()}|${String(r.rawValue)}`;
