import type pg from "pg";
import { RAW_UNITS, type PointSetup, type RawUnit, type VariableMapping } from "@/domain/measurements/types";
import { ErrorCodeRulesSchema, errorCodesFor } from "@/domain/measurements/error-codes";
import { compileCustomMapping, type CompiledCustomMapping } from "@/domain/providers/custom";
import type { TtsParseOptions } from "@/domain/providers/tts";
import type { ProviderKind } from "@/domain/providers/types";
import type { PointConfig } from "@/server/timeseries/recompute";

export interface BindingInfo {
  id: number;
  accountId: number;
  pointId: number;
  clientId: number;
  deviceRef: string;
  mappings: VariableMapping[];
  setup: PointSetup;
  config: PointConfig;
}

export interface AccountInfo {
  id: number;
  kind: ProviderKind;
  tts: TtsParseOptions | undefined;
  custom: CompiledCustomMapping | undefined;
  /** Why the custom mapping could not be compiled (payloads are rejected with it). */
  customError: string | null;
  byDevice: Map<string, BindingInfo[]>;
  byId: Map<number, BindingInfo>;
}

const MAPPED = new Set(["flow", "totalizer", "level"]);
const isRawUnit = (u: string): u is RawUnit => (RAW_UNITS as readonly string[]).includes(u);

interface Row {
  account_id: number;
  kind: ProviderKind;
  settings: Record<string, unknown> | null;
  binding_id: number | null;
  point_id: number | null;
  client_id: number | null;
  device_ref: string | null;
  pulse_factor_l: number | null;
  sensor_install_depth_m: number | null;
  level_mode: "direct" | "depth_from_install" | null;
  granted_flow_lps: number | null;
  expected_interval_min: number | null;
  reset_confirm_samples: number | null;
  vars: { variable: string; key: string; unit: string; scale: number; error_codes: unknown }[] | null;
  meter_changes: { at: string; old_final_m3: number | null; new_initial_m3: number }[] | null;
}

async function loadAccount(sql: pg.Pool, accountId: number): Promise<AccountInfo | null> {
  const r = await sql.query<Row>(
    `SELECT a.id AS account_id, a.kind::text AS kind, a.settings, b.id AS binding_id, b.point_id, p.client_id, b.device_ref,
            p.pulse_factor_l, p.sensor_install_depth_m, p.level_mode::text AS level_mode, p.granted_flow_lps, p.expected_interval_min, b.reset_confirm_samples,
            (SELECT json_agg(json_build_object('variable', v.variable, 'key', v.key, 'unit', v.unit, 'scale', v.scale, 'error_codes', v.error_codes)) FROM binding_variable v WHERE v.binding_id = b.id) AS vars,
            (SELECT json_agg(json_build_object('at', m.at, 'old_final_m3', m.old_final_m3, 'new_initial_m3', m.new_initial_m3) ORDER BY m.at) FROM meter_change m WHERE m.point_id = b.point_id) AS meter_changes
     FROM provider_account a
     LEFT JOIN point_binding b ON b.account_id = a.id AND b.active
     LEFT JOIN capture_point p ON p.id = b.point_id
     WHERE a.id = $1`,
    [accountId],
  );
  const first = r.rows[0];
  if (!first) return null;
  const settings = first.settings ?? {};
  let custom: CompiledCustomMapping | undefined;
  let customError: string | null = null;
  if (settings.customMapping) {
    try {
      custom = compileCustomMapping(settings.customMapping as Parameters<typeof compileCustomMapping>[0]);
    } catch (e) {
      customError = e instanceof Error ? e.message : String(e);
    }
  }
  const info: AccountInfo = {
    id: accountId,
    kind: first.kind,
    tts: settings.tts as TtsParseOptions | undefined,
    custom,
    customError,
    byDevice: new Map(),
    byId: new Map(),
  };
  for (const row of r.rows) {
    if (row.binding_id === null || row.point_id === null || row.client_id === null || row.device_ref === null) continue;
    const mappings: VariableMapping[] = (row.vars ?? [])
      .filter((v) => MAPPED.has(v.variable) && isRawUnit(v.unit))
      .map((v) => {
        const variable = v.variable as VariableMapping["variable"];
        const stored = ErrorCodeRulesSchema.safeParse(v.error_codes);
        return {
          variable,
          key: v.key,
          unit: v.unit as RawUnit,
          scale: v.scale,
          errorCodes: errorCodesFor(first.kind, variable, stored.success ? stored.data : null),
        };
      });
    const b: BindingInfo = {
      id: row.binding_id,
      accountId,
      pointId: row.point_id,
      clientId: row.client_id,
      deviceRef: row.device_ref,
      mappings,
      setup: {
        pulseFactorL: row.pulse_factor_l,
        sensorInstallDepthM: row.sensor_install_depth_m,
        levelMode: row.level_mode ?? "direct",
        grantedFlowLps: row.granted_flow_lps,
      },
      config: {
        pointId: row.point_id,
        grantedFlowLps: row.granted_flow_lps,
        expectedIntervalMs: row.expected_interval_min ? row.expected_interval_min * 60_000 : null,
        resetConfirmSamples: row.reset_confirm_samples,
        meterChanges: (row.meter_changes ?? []).map((m) => ({
          at: new Date(m.at),
          oldFinalM3: m.old_final_m3,
          newInitialM3: m.new_initial_m3,
        })),
      },
    };
    info.byId.set(b.id, b);
    info.byDevice.set(b.deviceRef, [...(info.byDevice.get(b.deviceRef) ?? []), b]);
  }
  return info;
}

/** Bindings per provider account, cached in memory for `ttlMs` (configuration changes apply within that delay). */
export class BindingCache {
  private readonly accounts = new Map<number, { at: number; info: Promise<AccountInfo | null> }>();
  private readonly bindingAccount = new Map<number, number>();

  constructor(
    private readonly sql: pg.Pool,
    private readonly ttlMs = 30_000,
    private readonly clock: () => number = Date.now,
  ) {}

  account(accountId: number): Promise<AccountInfo | null> {
    const hit = this.accounts.get(accountId);
    if (hit && this.clock() - hit.at < this.ttlMs) return hit.info;
    const info = loadAccount(this.sql, accountId);
    this.accounts.set(accountId, { at: this.clock(), info });
    info.catch(() => this.accounts.delete(accountId));
    return info;
  }

  async accountOfBinding(bindingId: number): Promise<number | null> {
    const known = this.bindingAccount.get(bindingId);
    if (known !== undefined) return known;
    const r = await this.sql.query<{ account_id: number }>("SELECT account_id FROM point_binding WHERE id = $1", [
      bindingId,
    ]);
    const id = r.rows[0]?.account_id ?? null;
    if (id !== null) this.bindingAccount.set(bindingId, id);
    return id;
  }

  clear(): void {
    this.accounts.clear();
    this.bindingAccount.clear();
  }
}
