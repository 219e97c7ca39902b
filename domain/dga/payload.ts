import { AppError } from "@/domain/errors";
import { isValidObraCode } from "@/domain/obra";
import { normalizeRut } from "@/domain/rut";
import { DGA_PATHS, TOTALIZER_MAX_CHARS, type DgaPath, type PointKind } from "./contract";
import type { SlotValues } from "./fill";
import type { StandardRule } from "./standards";
import { timeStampOrigen, toDgaDateTime } from "./time";

interface Autenticacion {
  password: string;
  /** RUT of the Centro de Control. */
  rutEmpresa: string;
  /** RUT of the obra's informante. */
  rutUsuario: string;
}
interface MedicionSubterranea {
  caudal: string;
  fechaMedicion: string;
  horaMedicion: string;
  nivelFreaticoDelPozo: string;
  totalizador: string;
}
interface MedicionSuperficial {
  alturaLimnimetrica: string;
  caudal: string;
  fechaMedicion: string;
  horaMedicion: string;
}
interface MedicionSuperficialFlujometro {
  caudal: string;
  fechaMedicion: string;
  horaMedicion: string;
  totalizador: string;
}
export type DgaMeasurement = MedicionSubterranea | MedicionSuperficial | MedicionSuperficialFlujometro;

export type DgaBody =
  | { autenticacion: Autenticacion; medicionSubterranea: MedicionSubterranea }
  | { autenticacion: Autenticacion; medicionSuperficial: MedicionSuperficial }
  | { autenticacion: Autenticacion; medicionSuperficialFlujometro: MedicionSuperficialFlujometro };

interface DgaHeaders {
  codigoObra: string;
  timeStampOrigen: string;
  "Content-Type": "application/json";
}

export interface DgaRequest {
  method: "POST";
  path: DgaPath;
  headers: DgaHeaders;
  body: DgaBody;
}

function invalid(field: string, value: unknown, why: string): never {
  throw new AppError("INVALID_PAYLOAD", `${field}: ${why}`, { details: { field, value } });
}

function finiteNumber(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) invalid(field, value, "not a finite number");
  return value;
}

/** caudal: L/s, exactly 2 decimals, dot separator. Negative flow is never clamped: it is refused. */
export function formatCaudal(flowLps: number): string {
  const v = finiteNumber("caudal", flowLps);
  if (v < 0) invalid("caudal", v, "negative");
  const s = v.toFixed(2);
  if (!/^\d+\.\d{2}$/.test(s)) invalid("caudal", v, "not representable with 2 decimals");
  return s;
}

/** totalizador: m³, truncated (never rounded) to an integer, no separators, at most 15 characters. */
export function formatTotalizador(totalizerM3: number): string {
  const v = finiteNumber("totalizador", totalizerM3);
  if (v < 0) invalid("totalizador", v, "negative");
  const s = String(Math.trunc(v));
  if (!/^\d+$/.test(s) || s.length > TOTALIZER_MAX_CHARS)
    invalid("totalizador", v, `more than ${TOTALIZER_MAX_CHARS} characters`);
  return s;
}

function emptyOr(field: string, value: number | null, allowEmpty: boolean, format: (v: number) => string): string {
  if (value === null) {
    if (!allowEmpty) invalid(field, value, "empty is not allowed for this standard");
    return "";
  }
  return format(finiteNumber(field, value));
}

/** nivelFreaticoDelPozo: m, 2 decimals; "" only when the standard allows an empty level. */
export function formatNivel(levelM: number | null, allowEmpty: boolean): string {
  return emptyOr("nivelFreaticoDelPozo", levelM, allowEmpty, (v) => {
    const s = v.toFixed(2);
    if (!/^-?\d+\.\d{2}$/.test(s)) invalid("nivelFreaticoDelPozo", v, "not representable with 2 decimals");
    return s === "-0.00" ? "0.00" : s;
  });
}

/** alturaLimnimetrica: cm, integer; "" only when the standard allows an empty height. */
export function formatAltura(heightCm: number | null, allowEmpty: boolean): string {
  return emptyOr("alturaLimnimetrica", heightCm, allowEmpty, (v) => {
    const s = String(Math.round(v));
    if (!/^-?\d+$/.test(s)) invalid("alturaLimnimetrica", v, "not an integer");
    return s === "-0" ? "0" : s;
  });
}

function configRut(reason: string, rut: string | null | undefined): string {
  const normalized = rut ? normalizeRut(rut) : null;
  if (!normalized)
    throw new AppError("DGA_CONFIG_MISSING", `${reason}: RUT missing or fails módulo 11`, { details: { reason } });
  return normalized;
}

export interface BuildRequestInput {
  kind: PointKind;
  obraCode: string | null | undefined;
  values: SlotValues;
  slotAt: Date;
  rule: Pick<StandardRule, "allowEmptyLevel" | "allowEmptyHeight">;
  informante: { rut: string | null | undefined; password: string | null | undefined };
  centroControlRut: string | null | undefined;
  /** Send time, for timeStampOrigen. */
  now: Date;
}

/** Builds the exact MEE POST. Throws DGA_CONFIG_MISSING for obra/RUT/password, INVALID_PAYLOAD for values. */
export function buildRequest(input: BuildRequestInput): DgaRequest {
  const { kind, obraCode, values, slotAt, rule } = input;
  if (!obraCode)
    throw new AppError("DGA_CONFIG_MISSING", "obra code missing", { details: { reason: "obra_code_missing" } });
  if (!isValidObraCode(obraCode))
    throw new AppError("DGA_CONFIG_MISSING", `obra code invalid: ${obraCode}`, {
      details: { reason: "obra_code_invalid" },
    });
  const rutUsuario = configRut("informante_invalid", input.informante.rut);
  const rutEmpresa = configRut("centro_control_invalid", input.centroControlRut);
  const password = input.informante.password;
  if (!password)
    throw new AppError("DGA_CONFIG_MISSING", "informante password missing", {
      details: { reason: "informante_missing" },
    });

  const { fecha: fechaMedicion, hora: horaMedicion } = toDgaDateTime(slotAt);
  const autenticacion = { password, rutEmpresa, rutUsuario };
  const required = (field: string, v: number | null) => (v === null ? invalid(field, v, "missing") : v);

  let body: DgaBody;
  if (kind === "groundwater") {
    body = {
      autenticacion,
      medicionSubterranea: {
        caudal: formatCaudal(required("caudal", values.flowLps)),
        fechaMedicion,
        horaMedicion,
        nivelFreaticoDelPozo: formatNivel(values.levelM, rule.allowEmptyLevel),
        totalizador: formatTotalizador(required("totalizador", values.totalizerM3)),
      },
    };
  } else if (kind === "surface") {
    body = {
      autenticacion,
      medicionSuperficial: {
        alturaLimnimetrica: formatAltura(values.heightCm, rule.allowEmptyHeight),
        caudal: formatCaudal(required("caudal", values.flowLps)),
        fechaMedicion,
        horaMedicion,
      },
    };
  } else {
    body = {
      autenticacion,
      medicionSuperficialFlujometro: {
        caudal: formatCaudal(required("caudal", values.flowLps)),
        fechaMedicion,
        horaMedicion,
        totalizador: formatTotalizador(required("totalizador", values.totalizerM3)),
      },
    };
  }
  return {
    method: "POST",
    path: DGA_PATHS[kind],
    headers: { codigoObra: obraCode, timeStampOrigen: timeStampOrigen(input.now), "Content-Type": "application/json" },
    body,
  };
}

/** The measurement object of a body, whichever variant it is. */
export function measurementOf(body: DgaBody): DgaMeasurement {
  if ("medicionSubterranea" in body) return body.medicionSubterranea;
  if ("medicionSuperficial" in body) return body.medicionSuperficial;
  return body.medicionSuperficialFlujometro;
}

/** Copy safe for audit logs: the informante's password becomes "****". */
export function redactRequest(request: DgaRequest): DgaRequest {
  return {
    ...request,
    headers: { ...request.headers },
    body: { ...request.body, autenticacion: { ...request.body.autenticacion, password: "****" } },
  };
}
