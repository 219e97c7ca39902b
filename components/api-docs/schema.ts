/** JSON Schema (as z.toJSONSchema writes it) in words and examples for the API reference. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  format?: string;
  default?: unknown;
  description?: string;
}

const DATE_NAME = /^(from|to|since|until|at)$|At$|Date$/;
const isDateName = (name: string) => DATE_NAME.test(name);
const num = (n: number) => new Intl.NumberFormat("es-CL", { maximumFractionDigits: 4, useGrouping: false }).format(n);

/** "entero > 0", "texto (2 a 120 caracteres)", "uno de: raw, hour", "fecha y hora ISO 8601", "… o nulo". */
export function typeText(s: JsonSchema | undefined, name = ""): string {
  if (!s || Object.keys(s).length === 0 || (Object.keys(s).length === 1 && "$schema" in s))
    return isDateName(name) ? "fecha y hora ISO 8601 (UTC)" : "cualquier valor";
  if (s.anyOf) {
    const nonNull = s.anyOf.filter((x) => x.type !== "null");
    const nullable = nonNull.length < s.anyOf.length;
    return `${nonNull.map((x) => typeText(x, name)).join(" o ")}${nullable ? " o nulo" : ""}`;
  }
  if (Array.isArray(s.type)) {
    const nullable = s.type.includes("null");
    const rest = s.type.filter((t) => t !== "null");
    return `${rest.map((t) => typeText({ ...s, type: t }, name)).join(" o ")}${nullable ? " o nulo" : ""}`;
  }
  if (s.enum) return `uno de: ${s.enum.map(String).join(", ")}`;
  const bounds: string[] = [];
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${num(s.exclusiveMinimum)}`);
  if (s.minimum !== undefined) bounds.push(`≥ ${num(s.minimum)}`);
  if (s.maximum !== undefined && s.maximum < 2_147_483_647) bounds.push(`≤ ${num(s.maximum)}`);
  switch (s.type) {
    case "integer":
      return ["entero", ...bounds].join(" ");
    case "number":
      return ["número", ...bounds].join(" ");
    case "boolean":
      return "booleano (true / false)";
    case "string": {
      if (s.format === "date-time" || isDateName(name)) return "fecha y hora ISO 8601 (UTC)";
      if (s.format === "email") return "correo electrónico";
      if (s.format === "uri") return "URL";
      const len =
        s.minLength !== undefined && s.maxLength !== undefined
          ? ` (${s.minLength} a ${s.maxLength} caracteres)`
          : s.maxLength !== undefined
            ? ` (hasta ${s.maxLength} caracteres)`
            : "";
      return `texto${len}`;
    }
    case "array":
      return `lista de ${typeText(s.items, name)}${s.minItems ? ` (al menos ${s.minItems})` : ""}`;
    case "object":
      return "objeto";
    default:
      return "cualquier valor";
  }
}

/** A plausible example value for a schema (first enum value, bounds respected, dates in ISO). */
export function exampleOf(s: JsonSchema | undefined, name = ""): unknown {
  if (!s || Object.keys(s).filter((k) => k !== "$schema").length === 0)
    return isDateName(name) ? (name === "to" ? "2026-12-02T03:00:00Z" : "2026-12-01T03:00:00Z") : null;
  if (s.default !== undefined) return s.default;
  if (s.anyOf) return exampleOf(s.anyOf.find((x) => x.type !== "null") ?? s.anyOf[0], name);
  if (Array.isArray(s.type)) return exampleOf({ ...s, type: s.type.find((t) => t !== "null") ?? "null" }, name);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case "integer":
      return Math.max(1, s.minimum ?? 1);
    case "number":
      return s.minimum !== undefined && s.minimum > 12.5 ? s.minimum : 12.5;
    case "boolean":
      return true;
    case "string":
      if (isDateName(name) || s.format === "date-time") return "2026-12-01T03:00:00Z";
      if (s.format === "email") return "gestor@ejemplo.cl";
      if (s.format === "uri") return "https://ejemplo.cl";
      return name === "name" ? "Pozo 1" : "texto";
    case "array":
      return [exampleOf(s.items, name)];
    case "object":
      return Object.fromEntries(
        Object.entries(s.properties ?? {})
          .filter(([k]) => (s.required ?? []).includes(k))
          .map(([k, v]) => [k, exampleOf(v, k)]),
      );
    default:
      return null;
  }
}

export interface FieldRow {
  name: string;
  required: boolean;
  type: string;
}

/** The top-level fields of an object schema, required first. */
export function fieldRows(s: JsonSchema | undefined): FieldRow[] {
  const req = new Set(s?.required ?? []);
  return Object.entries(s?.properties ?? {})
    .map(([name, v]) => ({ name, required: req.has(name), type: typeText(v, name) }))
    .sort((a, b) => Number(b.required) - Number(a.required));
}
