import { isValidRut } from "@/domain/rut";

/**
 * The sandbox's own reading of Manual Técnico 1/2025. It deliberately does not reuse
 * domain/dga's formatters, so a formatting bug there shows up as a rejection here.
 */
export type SandboxKind = "groundwater" | "surface" | "surface_flowmeter";

type FieldCheck = (value: string) => string | null;

const decimal2: FieldCheck = (v) =>
  /^\d+\.\d{2}$/.test(v) ? null : "debe ser numérico con 2 decimales y punto decimal";
const totalizer: FieldCheck = (v) =>
  /^\d{1,15}$/.test(v) ? null : "debe ser entero sin decimales ni separadores, máximo 15 caracteres";
const level: FieldCheck = (v) =>
  v === "" || /^-?\d+\.\d{2}$/.test(v) ? null : "debe ser numérico con 2 decimales o vacío";
const height: FieldCheck = (v) => (v === "" || /^-?\d+$/.test(v) ? null : "debe ser entero (cm) o vacío");
const date: FieldCheck = (v) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return "debe tener formato YYYY-MM-DD";
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v ? null : "no es una fecha válida";
};
const time: FieldCheck = (v) => (/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(v) ? null : "debe tener formato HH24:MI:SS");

export interface EndpointSpec {
  kind: SandboxKind;
  bodyKey: string;
  fields: Record<string, FieldCheck>;
  /** Order of the GET echo. */
  echoOrder: string[];
  successMessage: string;
}

export const ENDPOINTS: Record<string, EndpointSpec> = {
  "/mediciones/subterraneas": {
    kind: "groundwater",
    bodyKey: "medicionSubterranea",
    fields: {
      caudal: decimal2,
      fechaMedicion: date,
      horaMedicion: time,
      nivelFreaticoDelPozo: level,
      totalizador: totalizer,
    },
    echoOrder: ["fechaMedicion", "horaMedicion", "caudal", "totalizador", "nivelFreaticoDelPozo"],
    successMessage: "Medición subterránea ingresada correctamente",
  },
  "/mediciones/superficiales": {
    kind: "surface",
    bodyKey: "medicionSuperficial",
    fields: { alturaLimnimetrica: height, caudal: decimal2, fechaMedicion: date, horaMedicion: time },
    echoOrder: ["alturaLimnimetrica", "caudal", "fechaMedicion", "horaMedicion"],
    successMessage: "Medición superficial ingresada correctamente",
  },
  "/mediciones/superficiales/flujometro": {
    kind: "surface_flowmeter",
    bodyKey: "medicionSuperficialFlujometro",
    fields: { caudal: decimal2, fechaMedicion: date, horaMedicion: time, totalizador: totalizer },
    echoOrder: ["caudal", "fechaMedicion", "horaMedicion", "totalizador"],
    successMessage: "Medición superficial con flujómetro ingresada correctamente",
  },
};

export const MESSAGES = {
  duplicate: (receipt: string) => `Ya existe un registro en esa fecha, hora para la obra. Comprobante: ${receipt}`,
  wrongInformante: "Usuario no es el informante registrado en la Obra",
  badPassword: "Usuario o contraseña incorrectos",
  obraNotRegistered: "Obra no registrada",
  notFound: "No existe medición para la obra y comprobante indicados",
} as const;

export const OBRA_CODE_RE = /^O[BR]-\d{4}-[1-9]\d*$/;
const TIMESTAMP_ORIGEN_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})-0000$/;

export const isStrictRut = (v: unknown): v is string =>
  typeof v === "string" && /^\d{1,8}-[0-9K]$/.test(v) && isValidRut(v);

interface ValidPost {
  codigoObra: string;
  timeStampOrigen: string;
  autenticacion: { password: string; rutEmpresa: string; rutUsuario: string };
  measurement: Record<string, string>;
}

export type PostCheck = { ok: true; post: ValidPost } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Strict check of one measurement POST: headers, autenticacion and every field, as the manual writes them. */
export function checkPost(
  spec: EndpointSpec,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): PostCheck {
  const fail = (message: string): PostCheck => ({ ok: false, message });
  const codigoObra = headers["codigoobra"];
  if (typeof codigoObra !== "string" || !OBRA_CODE_RE.test(codigoObra))
    return fail("Header codigoObra ausente o con formato inválido");
  const ts = headers["timestamporigen"];
  const tsMatch = typeof ts === "string" ? TIMESTAMP_ORIGEN_RE.exec(ts) : null;
  if (!tsMatch || date(tsMatch[1]!) || time(tsMatch[2]!))
    return fail("Header timeStampOrigen ausente o con formato inválido (yyyy-MM-ddTHH:mm:ss-0000)");

  if (!isObject(body)) return fail("Cuerpo de la solicitud inválido");
  const extraTop = Object.keys(body).filter((k) => k !== "autenticacion" && k !== spec.bodyKey);
  if (extraTop.length > 0) return fail(`Campo no permitido: ${extraTop.join(", ")}`);
  const auth = body["autenticacion"];
  if (!isObject(auth)) return fail("autenticacion es requerida");
  if (typeof auth["password"] !== "string" || auth["password"] === "")
    return fail("autenticacion.password es requerido");
  if (!isStrictRut(auth["rutEmpresa"])) return fail("autenticacion.rutEmpresa inválido");
  if (!isStrictRut(auth["rutUsuario"])) return fail("autenticacion.rutUsuario inválido");

  const m = body[spec.bodyKey];
  if (!isObject(m)) return fail(`${spec.bodyKey} es requerido`);
  const extra = Object.keys(m).filter((k) => !(k in spec.fields));
  if (extra.length > 0) return fail(`${spec.bodyKey}: campo no permitido: ${extra.join(", ")}`);
  const measurement: Record<string, string> = {};
  for (const [field, check] of Object.entries(spec.fields)) {
    const value = m[field];
    if (value === undefined) return fail(`${spec.bodyKey}.${field} es requerido`);
    if (typeof value !== "string") return fail(`${spec.bodyKey}.${field} debe ser texto`);
    const problem = check(value);
    if (problem) return fail(`${spec.bodyKey}.${field} ${problem}`);
    measurement[field] = value;
  }
  return {
    ok: true,
    post: {
      codigoObra,
      timeStampOrigen: ts as string,
      autenticacion: { password: auth["password"], rutEmpresa: auth["rutEmpresa"], rutUsuario: auth["rutUsuario"] },
      measurement,
    },
  };
}

/** GET quirks: fecha as DD-MM-YYYY, trailing decimal zeros dropped but one decimal kept ("0.00" → "0.0"). */
export function echoValue(field: string, value: string): string {
  if (field === "fechaMedicion") return value.split("-").reverse().join("-");
  if (/^-?\d+\.\d+$/.test(value)) return value.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ".0");
  return value;
}
