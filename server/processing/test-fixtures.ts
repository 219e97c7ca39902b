import type pg from "pg";
import type { Db } from "@/server/db";
import { insertRawPayloads } from "@/server/ingest/raw-store";

/** Test helpers: a client with points bound to a Tago account (flow "caudal" L/s, totalizer "total" m3, level "nivel" m). */
export async function seedTagoClient(
  prisma: Db,
  opts: { tag: string; points: number; grantedFlowLps?: number; expectedIntervalMin?: number },
) {
  const client = await prisma.client.create({
    data: {
      name: `Cliente ${opts.tag}`,
      rut: `${10_000_000 + Math.floor(Math.random() * 8_000_000)}-${opts.tag.length % 10}`,
    },
  });
  const account = await prisma.providerAccount.create({
    data: { clientId: client.id, kind: "tago", name: `Tago ${opts.tag}`, baseUrl: "http://127.0.0.1:1" },
  });
  const points: { pointId: number; bindingId: number; deviceRef: string }[] = [];
  for (let i = 0; i < opts.points; i++) {
    const point = await prisma.capturePoint.create({
      data: {
        clientId: client.id,
        name: `Pozo ${opts.tag}-${i}`,
        kind: "groundwater",
        grantedFlowLps: opts.grantedFlowLps ?? 40,
        expectedIntervalMin: opts.expectedIntervalMin ?? 1,
      },
    });
    const deviceRef = `dev-${opts.tag}-${i}`;
    const binding = await prisma.pointBinding.create({
      data: {
        pointId: point.id,
        accountId: account.id,
        deviceRef,
        variables: {
          create: [
            { variable: "flow", key: "caudal", unit: "L/s" },
            { variable: "totalizer", key: "total", unit: "m3" },
            { variable: "level", key: "nivel", unit: "m" },
          ],
        },
      },
    });
    points.push({ pointId: point.id, bindingId: binding.id, deviceRef });
  }
  return { clientId: client.id, accountId: account.id, points };
}

export interface Rec {
  device: string;
  variable: "caudal" | "total" | "nivel";
  value: number | string;
  time: Date;
}

export const tagoBody = (recs: readonly Rec[]): string =>
  JSON.stringify({
    status: true,
    result: recs.map((r) => ({ device: r.device, variable: r.variable, value: r.value, time: r.time.toISOString() })),
  });

export async function insertTagoRaws(pool: pg.Pool, accountId: number, bodies: readonly string[]): Promise<string[]> {
  return insertRawPayloads(
    pool,
    bodies.map((body) => ({ provider: "tago", accountId, bindingId: null, transport: "pull" as const, body })),
  );
}

/** A plausible minute series: flow around 20 L/s, totalizer accumulating it, level around 30 m. */
export function minuteSeries(
  device: string,
  start: Date,
  minutes: number,
  opts: { flowLps?: (i: number) => number } = {},
): Rec[] {
  const recs: Rec[] = [];
  let totalM3 = 1000;
  for (let i = 0; i < minutes; i++) {
    const time = new Date(start.getTime() + i * 60_000);
    const flow = opts.flowLps?.(i) ?? 20 + ((i * 7) % 5) / 10;
    totalM3 += (flow * 60) / 1000;
    recs.push({ device, variable: "caudal", value: Math.round(flow * 100) / 100, time });
    recs.push({ device, variable: "total", value: Math.round(totalM3 * 1000) / 1000, time });
    recs.push({ device, variable: "nivel", value: 30 + (i % 3) / 100, time });
  }
  return recs;
}

/** Deterministic shuffle (tests must not depend on Math.random). */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const a = [...xs];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
