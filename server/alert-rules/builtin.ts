import type pg from "pg";
import {
  BuiltinOverrideSchema,
  previewBuiltin,
  resolveBuiltins,
  type BuiltinPreview,
  type BuiltinType,
  type OverrideScope,
  type PreviewSeries,
  type ResolvedBuiltins,
  type ScopedOverride,
} from "@/domain/alert-rules/builtin";
import { DEFAULT_RULE_OPTIONS } from "@/domain/anomalies/rules";
import type { Variable } from "@/domain/measurements/types";
import { loadSeriesRows } from "./context";
import { PREVIEW_DAYS } from "./preview";

/** The built-in overrides that apply to each point (its client's, its group's, its own). */
async function loadOverrides(
  db: pg.PoolClient | pg.Pool,
  pointIds: readonly number[],
): Promise<Map<number, ScopedOverride[]>> {
  const out = new Map<number, ScopedOverride[]>();
  if (pointIds.length === 0) return out;
  const { rows } = await db.query<{
    point_id: number;
    type: string;
    enabled: boolean;
    params: unknown;
    scope: OverrideScope;
  }>(
    `SELECT p.id AS point_id, o.type, o.enabled, o.params,
            CASE WHEN o.point_id IS NOT NULL THEN 'point' WHEN o.group_id IS NOT NULL THEN 'group' ELSE 'client' END AS scope
     FROM capture_point p
     LEFT JOIN point_group_member m ON m.point_id = p.id
     JOIN builtin_rule_override o ON o.client_id = p.client_id
      AND (o.point_id = p.id OR o.group_id = m.group_id OR (o.point_id IS NULL AND o.group_id IS NULL))
     WHERE p.id = ANY($1::int[])`,
    [[...new Set(pointIds)]],
  );
  for (const r of rows) {
    // A row that no longer validates (rule catalogue changed) is ignored: the default applies.
    const o = BuiltinOverrideSchema.safeParse({ type: r.type, enabled: r.enabled, params: r.params });
    if (!o.success) continue;
    out.set(r.point_id, [...(out.get(r.point_id) ?? []), { ...o.data, scope: r.scope }]);
  }
  return out;
}

/**
 * Each point's built-in rules as its managers tuned them (client, group, point; most specific wins). Points
 * without overrides are absent: the processor evaluates them with the defaults.
 */
export async function loadResolvedBuiltins(
  db: pg.PoolClient | pg.Pool,
  pointIds: readonly number[],
): Promise<Map<number, ResolvedBuiltins>> {
  const overrides = await loadOverrides(db, pointIds);
  return new Map([...overrides].map(([pointId, list]) => [pointId, resolveBuiltins(list)]));
}

/** The series each built-in looks at. */
const VARIABLES_OF: Record<BuiltinType, Variable[]> = {
  flow_above_granted: ["flow"],
  negative_flow: ["flow"],
  spike: ["flow", "totalizer", "level", "water_table"],
  totalizer_frozen: ["totalizer"],
  level_drop: ["water_table"],
  error_code: ["flow", "totalizer", "level", "water_table"],
};

/**
 * How often a built-in would have fired on a point over the last 30 days with a proposed override at a given
 * scope (the point's other overrides still apply; a more specific one keeps winning, as in the processor).
 */
export async function previewBuiltinOnPoint(
  pool: pg.Pool,
  pointId: number,
  proposal: ScopedOverride,
  now: Date,
): Promise<BuiltinPreview & { from: Date; to: Date; shadowedBy: OverrideScope | null }> {
  const from = new Date(now.getTime() - PREVIEW_DAYS * 86_400_000);
  const existing = (await loadOverrides(pool, [pointId])).get(pointId) ?? [];
  const others = existing.filter((o) => !(o.type === proposal.type && o.scope === proposal.scope));
  const resolved = resolveBuiltins([...others, proposal]);
  const winner = resolved.source[proposal.type];
  const p = (
    await pool.query<{ client_id: number; granted_flow_lps: number | null }>(
      `SELECT client_id, granted_flow_lps FROM capture_point WHERE id = $1`,
      [pointId],
    )
  ).rows[0];
  const series: PreviewSeries[] = [];
  const needsFlow = VARIABLES_OF[proposal.type].includes("water_table");
  const flow = needsFlow ? await loadSeriesRows(pool, pointId, "flow", from, now) : undefined;
  for (const variable of VARIABLES_OF[proposal.type]) {
    const rows = await loadSeriesRows(pool, pointId, variable, from, now);
    if (rows.length)
      series.push({
        clientId: p?.client_id ?? 0,
        pointId,
        grantedFlowLps: p?.granted_flow_lps ?? null,
        variable,
        rows,
        flow: variable === "water_table" && flow?.length ? flow : undefined,
      });
  }
  return {
    ...previewBuiltin(proposal.type, series, resolved, PREVIEW_DAYS),
    from,
    to: now,
    shadowedBy: winner && winner !== proposal.scope ? winner : null,
  };
}

/** The defaults every override starts from, in RuleOptions units. */
export const BUILTIN_DEFAULTS = {
  grantedFlowTolerance: DEFAULT_RULE_OPTIONS.grantedFlowTolerance,
  levelDropMarginM: DEFAULT_RULE_OPTIONS.levelDropMarginM,
  levelDropLookbackH: DEFAULT_RULE_OPTIONS.levelDropLookbackH,
  errorRunLength: DEFAULT_RULE_OPTIONS.errorRunLength,
};
