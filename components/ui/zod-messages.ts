import type { z } from "zod";

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const bound = new Intl.NumberFormat("es-CL", { maximumFractionDigits: 4 });
const n = (v: number | bigint) => bound.format(Number(v));

const FORMAT: Record<string, string> = {
  email: "un correo válido (nombre@dominio.cl)",
  url: "una URL válida (https://…)",
  date: "una fecha válida",
  datetime: "una fecha y hora válidas",
  regex: "el formato indicado",
};

/**
 * Plain-language Spanish for form errors ("Mínimo 2 caracteres", "Debe ser 0 o más"): zod's own locale
 * reads like a type checker ("se esperaba que texto tuviera >=2 caracteres"). Messages a schema sets itself win.
 */
export function plainSpanishError(issue: Issue): string | undefined {
  switch (issue.code) {
    case "too_small": {
      const min = n(issue.minimum as number | bigint);
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1 ? "Campo obligatorio" : `Mínimo ${min} caracteres`;
      if (issue.origin === "array" || issue.origin === "set")
        return `Elija al menos ${min} ${Number(issue.minimum) === 1 ? "opción" : "opciones"}`;
      return issue.inclusive ? `Debe ser ${min} o más` : `Debe ser mayor que ${min}`;
    }
    case "too_big": {
      const max = n(issue.maximum as number | bigint);
      if (issue.origin === "string") return `Máximo ${max} caracteres`;
      if (issue.origin === "array" || issue.origin === "set") return `Como máximo ${max} opciones`;
      return issue.inclusive ? `Debe ser ${max} o menos` : `Debe ser menor que ${max}`;
    }
    case "invalid_type":
      if (issue.input === undefined || issue.input === null || issue.input === "") return "Campo obligatorio";
      if (issue.expected === "int" && typeof issue.input === "number") return "Ingrese un número entero";
      if (issue.expected === "number" || issue.expected === "int") return "Ingrese un número (p. ej. 12,5)";
      if (issue.expected === "date") return "Ingrese una fecha válida";
      return "Valor no válido";
    case "invalid_format":
      return `Ingrese ${FORMAT[issue.format] ?? "un valor con el formato correcto"}`;
    case "not_multiple_of":
      return Number(issue.divisor) === 1 ? "Ingrese un número entero" : `Debe ser múltiplo de ${n(issue.divisor)}`;
    case "invalid_value":
      return "Elija una de las opciones";
    default:
      return undefined;
  }
}
