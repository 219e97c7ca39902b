import { encryptSecret } from "@/server/crypto";
import { dgaConfig, type DgaConfig } from "@/server/dga/config";
import { getPgPool } from "@/server/pg";
import { getDb } from "@/test/db";
import { VARIABLE_CODE, type Variable } from "@/domain/measurements/types";
import { createDgaSandbox, type DgaSandbox, type Faults } from "@/simulators/dga-sandbox/server";

export const CENTRO_CONTROL_RUT = "76455593-7";
export const INFORMANTE_RUT = "12345678-5";
export const PASSWORD = "clave-mee";
/** A slot well in the past of the sandbox's real clock (the sandbox refuses future measurements). */
export const SLOT_AT = new Date("2026-06-15T14:00:00Z");
export const HOUR_MS = 3_600_000;

export interface Harness {
  sandbox: DgaSandbox;
  url: string;
  cfg: DgaConfig;
  clientId: number;
  informanteId: number;
}

export async function startHarness(over: Partial<DgaConfig> = {}): Promise<Harness> {
  const sandbox = createDgaSandbox();
  const { url, baseUrl } = await sandbox.listen(0, "127.0.0.1");
  const db = getDb();
  const client = await db.client.create({
    data: { name: "Cliente DGA", rut: "76944359-2", modules: { create: [{ module: "dga" }] } },
  });
  const informante = await db.dgaInformante.create({
    data: { clientId: client.id, name: "Informante", rut: INFORMANTE_RUT, passwordEnc: encryptSecret(PASSWORD) },
  });
  const cfg = dgaConfig({
    apiUrl: baseUrl,
    centroControlRut: CENTRO_CONTROL_RUT,
    submissionEnabled: true,
    requestTimeoutMs: 1_000,
    workerId: "test-w1",
    ...over,
  });
  return { sandbox, url, cfg, clientId: client.id, informanteId: informante.id };
}

let obraSeq = 0;
export async function createPoint(
  h: Harness,
  opts: {
    kind?: "groundwater" | "surface" | "surface_flowmeter";
    transport?: "off" | "shadow" | "live";
    obraCode?: string | null;
    informante?: boolean;
    standard?: "mayor" | "medio" | "menor";
    goLiveAt?: Date;
  } = {},
) {
  obraSeq += 1;
  return getDb().capturePoint.create({
    data: {
      clientId: h.clientId,
      name: `Pozo ${obraSeq}`,
      kind: opts.kind ?? "groundwater",
      obraCode: opts.obraCode === undefined ? `OB-0602-${1000 + obraSeq}` : opts.obraCode,
      dgaTransport: opts.transport ?? "live",
      informanteId: opts.informante === false ? null : h.informanteId,
      grantedFlowLps: 100,
      dgaStandard: opts.standard ?? "mayor",
      dgaGoLiveAt: opts.goLiveAt ?? null,
    },
  });
}

export async function insertMeasurements(
  pointId: number,
  ts: Date,
  values: Partial<Record<Variable, number>>,
  quality = 0,
): Promise<void> {
  for (const [variable, value] of Object.entries(values) as [Variable, number][]) {
    await getPgPool().query(
      `INSERT INTO measurement (point_id, variable, ts, value, quality, source) VALUES ($1, $2, $3, $4, $5, 'test') ON CONFLICT (point_id, variable, ts) DO UPDATE SET value = EXCLUDED.value`,
      [pointId, VARIABLE_CODE[variable], ts, value, quality],
    );
  }
}

/** A filled pending slot, ready to send. */
export async function pendingSlot(
  pointId: number,
  slotAt: Date,
  values: { flowLps?: number; totalizerM3?: number; levelM?: number; heightCm?: number } = {},
): Promise<string> {
  const s = await getDb().dgaSlot.create({
    data: {
      pointId,
      slotAt,
      standard: "mayor",
      state: "pending",
      reasons: [],
      flowLps: values.flowLps ?? 12.5,
      totalizerM3: values.totalizerM3 ?? 123456,
      levelM: values.levelM ?? 7.25,
      heightCm: values.heightCm ?? 35,
    },
  });
  return s.id.toString();
}

export async function slotRow(id: string) {
  return getDb().dgaSlot.findUniqueOrThrow({ where: { id: BigInt(id) } });
}

export async function records(h: Harness) {
  return (await (await fetch(`${h.url}/__admin/records`)).json()) as {
    records: {
      receipt: string;
      codigoObra: string;
      fechaMedicion: string;
      horaMedicion: string;
      measurement: Record<string, string>;
      kind: string;
    }[];
    posts: {
      codigoObra: string;
      fechaMedicion: string;
      horaMedicion: string;
      posts: number;
      duplicates: number;
      stored: boolean;
    }[];
  };
}

export async function setFaults(h: Harness, faults: Faults): Promise<void> {
  await fetch(`${h.url}/__admin/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(faults),
  });
}
