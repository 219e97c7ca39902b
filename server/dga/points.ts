import type { PointKind } from "@/domain/dga/contract";
import type { DgaStandard } from "@/domain/dga/standards";
import type { DgaPointConfig } from "@/domain/dga/validate";
import type { Queryable } from "./events";

export interface DgaPointRow {
  id: number;
  clientId: number;
  name: string;
  kind: PointKind;
  standard: DgaStandard;
  transport: "off" | "shadow" | "live";
  obraCode: string | null;
  grantedFlowLps: number | null;
  informanteRut: string | null;
  passwordEnc: string | null;
  /** Obligation start: every boundary at or after it is owed (null = owes nothing yet). */
  goLiveAt: Date | null;
  /** Catch-up cursor: every owed boundary before it has a row. */
  slotsCompleteUntil: Date | null;
}

const SELECT = `SELECT p.id, p.client_id AS "clientId", p.name, p.kind::text AS kind, p.dga_standard::text AS standard, p.dga_transport::text AS transport,
  p.obra_code AS "obraCode", p.granted_flow_lps AS "grantedFlowLps", i.rut AS "informanteRut", i.password_enc AS "passwordEnc",
  p.dga_go_live_at AS "goLiveAt", p.dga_slots_complete_until AS "slotsCompleteUntil"
  FROM capture_point p LEFT JOIN dga_informante i ON i.id = p.informante_id AND i.client_id = p.client_id`;

export async function loadPoints(db: Queryable, ids: readonly number[]): Promise<Map<number, DgaPointRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<DgaPointRow>(`${SELECT} WHERE p.id = ANY($1::int[])`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, r]));
}

export async function reportingPoints(db: Queryable): Promise<DgaPointRow[]> {
  const { rows } = await db.query<DgaPointRow>(`${SELECT} WHERE p.dga_transport IN ('shadow', 'live') ORDER BY p.id`);
  return rows;
}

export function pointConfig(p: DgaPointRow, centroControlRut: string | null): DgaPointConfig {
  return {
    obraCode: p.obraCode,
    informanteRut: p.informanteRut,
    informanteHasPassword: !!p.passwordEnc,
    centroControlRut,
  };
}
