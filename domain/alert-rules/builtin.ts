import { z } from "zod";
import {
  DEFAULT_RULE_OPTIONS,
  evaluateRules,
  type AnomalyCandidate,
  type AnomalyType,
  type RuleInput,
  type RuleOptions,
} from "@/domain/anomalies/rules";

/**
 * The built-in anomaly rules (domain/anomalies/rules.ts) as editable defaults (issue #20): a manager can switch
 * one off or tune its parameters for a client, a group of points or one point; the most specific override wins
 * (point over group over client over the default). Evaluation stays the built-in code with tuned options.
 */
export const BUILTIN_TYPES = [
  "flow_above_granted",
  "negative_flow",
  "spike",
  "totalizer_frozen",
  "level_drop",
  "error_code",
] as const satisfies readonly AnomalyType[];
export type BuiltinType = (typeof BUILTIN_TYPES)[number];

type TunableKey = "grantedFlowTolerance" | "levelDropMarginM" | "levelDropLookbackH" | "errorRunLength";

export interface BuiltinParam {
  key: TunableKey;
  label: string;
  unit: string;
  min: number;
  max: number;
  /** Shown value = option × scale (tolerance shown in %). */
  scale: number;
  integer?: boolean;
}

export interface BuiltinRuleDef {
  type: BuiltinType;
  label: string;
  /** The rule in one line, with its default thresholds. */
  text: string;
  params: BuiltinParam[];
}

export const BUILTIN_RULES: readonly BuiltinRuleDef[] = [
  {
    type: "flow_above_granted",
    label: "Caudal sobre el otorgado",
    text: "Caudal sobre el otorgado más la tolerancia",
    params: [{ key: "grantedFlowTolerance", label: "Tolerancia", unit: "%", min: 0, max: 200, scale: 100 }],
  },
  { type: "negative_flow", label: "Caudal negativo", text: "Lecturas de caudal bajo cero", params: [] },
  { type: "spike", label: "Picos", text: "Lecturas marcadas como pico por el control de calidad", params: [] },
  {
    type: "totalizer_frozen",
    label: "Totalizador detenido",
    text: "Totalizador sin avance con caudal positivo",
    params: [],
  },
  {
    type: "level_drop",
    label: "Descenso de nivel",
    text: "Nivel freático bajo el más profundo de las horas previas, con la bomba detenida",
    params: [
      { key: "levelDropMarginM", label: "Margen", unit: "m", min: 0.1, max: 50, scale: 1 },
      { key: "levelDropLookbackH", label: "Ventana", unit: "h", min: 2, max: 48, scale: 1, integer: true },
    ],
  },
  {
    type: "error_code",
    label: "Códigos de error",
    text: "Lecturas seguidas con código de error del equipo",
    params: [
      { key: "errorRunLength", label: "Lecturas seguidas", unit: "", min: 1, max: 100, scale: 1, integer: true },
    ],
  },
];

const PARAM_KEYS = ["grantedFlowTolerance", "levelDropMarginM", "levelDropLookbackH", "errorRunLength"] as const;

/** An override as stored: the options are in RuleOptions units (tolerance as a fraction). */
export const BuiltinOverrideSchema = z
  .object({
    type: z.enum(BUILTIN_TYPES),
    enabled: z.boolean(),
    params: z.partialRecord(z.enum(PARAM_KEYS), z.number().finite()).default({}),
  })
  .superRefine((o, ctx) => {
    const def = BUILTIN_RULES.find((d) => d.type === o.type)!;
    for (const [k, v] of Object.entries(o.params)) {
      const p = def.params.find((x) => x.key === k);
      if (!p) ctx.addIssue({ code: "custom", path: ["params", k], message: "Parámetro no corresponde a la regla" });
      else if (v * p.scale < p.min || v * p.scale > p.max || (p.integer && !Number.isInteger(v)))
        ctx.addIssue({
          code: "custom",
          path: ["params", k],
          message: `${p.label}: entre ${p.min} y ${p.max}${p.unit ? ` ${p.unit}` : ""}`,
        });
    }
  });
type BuiltinOverride = z.infer<typeof BuiltinOverrideSchema>;

export type OverrideScope = "client" | "group" | "point";
const RANK: Record<OverrideScope, number> = { client: 0, group: 1, point: 2 };

export interface ScopedOverride extends BuiltinOverride {
  scope: OverrideScope;
}

export interface ResolvedBuiltins {
  options: RuleOptions;
  disabled: Set<BuiltinType>;
  /** Per type, where its setting comes from. */
  source: Partial<Record<BuiltinType, OverrideScope>>;
}

/** The overrides that apply to one point, most specific per type. */
export function resolveBuiltins(
  overrides: readonly ScopedOverride[],
  base: RuleOptions = DEFAULT_RULE_OPTIONS,
): ResolvedBuiltins {
  const best = new Map<BuiltinType, ScopedOverride>();
  for (const o of overrides) {
    const cur = best.get(o.type);
    if (!cur || RANK[o.scope] > RANK[cur.scope]) best.set(o.type, o);
  }
  const options: RuleOptions = { ...base };
  const disabled = new Set<BuiltinType>();
  const source: ResolvedBuiltins["source"] = {};
  for (const [type, o] of best) {
    source[type] = o.scope;
    if (!o.enabled) disabled.add(type);
    for (const p of BUILTIN_RULES.find((d) => d.type === type)!.params) {
      const v = o.params[p.key];
      if (v !== undefined) options[p.key] = v;
    }
  }
  return { options, disabled, source };
}

/** The built-in rules on one series with the point's resolved overrides. */
export function evaluateBuiltins(input: RuleInput, resolved: ResolvedBuiltins): AnomalyCandidate[] {
  return evaluateRules(input, resolved.options).filter((c) => !resolved.disabled.has(c.type as BuiltinType));
}

export interface BuiltinPreview {
  /** Hours in which the rule would have raised or extended an anomaly. */
  hours: number;
  /** Runs of such hours with at most one quiet hour between them. */
  episodes: { from: Date; to: Date }[];
  sentence: string;
}

/** One series of a point as stored (no "new" marks: the preview decides them). */
export type PreviewSeries = Omit<RuleInput, "rows"> & { rows: readonly Omit<RuleInput["rows"][number], "isNew">[] };

const H = 3_600_000;

/** Hours (epoch hours) in which the rule raises something on one series, replayed hour by hour. */
function hitHours(type: BuiltinType, input: PreviewSeries, options: RuleOptions): number[] {
  const contextMs = (options.levelDropLookbackH + 1) * H;
  const rows = input.rows;
  const flowAll = input.flow ?? [];
  const hits: number[] = [];
  let start = 0;
  let ctxStart = 0;
  let flowStart = 0;
  while (start < rows.length) {
    const hour = Math.floor(rows[start]!.ts.getTime() / H);
    let end = start;
    while (end < rows.length && Math.floor(rows[end]!.ts.getTime() / H) === hour) end++;
    while (rows[ctxStart]!.ts.getTime() < hour * H - contextMs) ctxStart++;
    const window = rows.slice(ctxStart, end).map((r, i) => ({ ...r, isNew: ctxStart + i >= start }));
    // The pump state is only asked at this hour's readings, so the flow around the hour is enough.
    while (flowStart < flowAll.length && flowAll[flowStart]!.ts.getTime() < hour * H - options.flowMatchToleranceMs)
      flowStart++;
    let flowEnd = flowStart;
    while (flowEnd < flowAll.length && flowAll[flowEnd]!.ts.getTime() < (hour + 1) * H + options.flowMatchToleranceMs)
      flowEnd++;
    const flow = input.flow ? flowAll.slice(flowStart, flowEnd) : undefined;
    if (evaluateRules({ ...input, rows: window, flow }, options).some((c) => c.type === type)) hits.push(hour);
    start = end;
  }
  return hits;
}

/**
 * Replays the built-in rule over a point's history the way the processor sees it: hour by hour, each hour's
 * rows new and the hours before as context. Hours with events one quiet hour apart at most form one episode.
 */
export function previewBuiltin(
  type: BuiltinType,
  series: readonly PreviewSeries[],
  resolved: ResolvedBuiltins,
  days: number,
): BuiltinPreview {
  if (resolved.disabled.has(type))
    return { hours: 0, episodes: [], sentence: "Regla desactivada: no habría disparado." };
  const hours = [...new Set(series.flatMap((s) => hitHours(type, s, resolved.options)))].sort((a, b) => a - b);
  const episodes: BuiltinPreview["episodes"] = [];
  for (const h of hours) {
    const last = episodes[episodes.length - 1];
    if (last && h * H - last.to.getTime() <= H) last.to = new Date((h + 1) * H);
    else episodes.push({ from: new Date(h * H), to: new Date((h + 1) * H) });
  }
  const n = episodes.length;
  const sentence = series.every((s) => s.rows.length === 0)
    ? `Sin datos en los últimos ${days} días para probar la regla.`
    : `Esta regla habría disparado ${n} ${n === 1 ? "vez" : "veces"} en los últimos ${days} días (${hours.length} h con eventos).`;
  return { hours: hours.length, episodes, sentence };
}
