import type pg from "pg";

/** A payload as received, pulled or pushed; stored before anything else so processing can be replayed. */
export interface RawPayloadInput {
  provider: string;
  accountId: number | null;
  bindingId: number | null;
  transport: "push" | "pull" | "mqtt" | "replay";
  status?: "accepted" | "rejected";
  error?: string | null;
  /** Machine-readable reason of a rejected payload (domain/providers REJECT_CODES). */
  reasonCode?: string | null;
  headers?: Record<string, string> | null;
  body: string;
  receivedAt?: Date;
}

/**
 * Context a pull payload needs to be parsed later (stored in raw_payload.headers under these keys):
 * the device reference and, for per-variable APIs (thethings.iO), the provider key requested.
 */
export const RAW_META = { deviceRef: "x-sh-device-ref", key: "x-sh-key" } as const;
/** The processor (server/processing/parse.ts) reads the key under this name; pull payloads carry both. */
export const RAW_META_ALIASES = { key: "x-sh-resource-key" } as const;

export interface RawPayloadRow {
  id: string;
  headers: Record<string, string> | null;
  receivedAt: Date;
  provider: string;
  accountId: number | null;
  bindingId: number | null;
  transport: string;
  status: string;
  body: string;
}

/** Multi-row insert in one statement; returns the ids in input order. */
export async function insertRawPayloads(db: pg.Pool | pg.PoolClient, rows: RawPayloadInput[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const r = await db.query<{ id: string }>(
    `INSERT INTO raw_payload (provider, account_id, binding_id, transport, status, error, headers, body, received_at, reason_code)
     SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::timestamptz[], $10::text[])
     RETURNING id`,
    [
      rows.map((r) => r.provider),
      rows.map((r) => r.accountId),
      rows.map((r) => r.bindingId),
      rows.map((r) => r.transport),
      rows.map((r) => r.status ?? "accepted"),
      rows.map((r) => r.error ?? null),
      rows.map((r) => (r.headers ? JSON.stringify(r.headers) : null)),
      rows.map((r) => r.body),
      rows.map((r) => r.receivedAt ?? new Date()),
      rows.map((r) => r.reasonCode ?? null),
    ],
  );
  return r.rows.map((x) => String(x.id));
}

export async function loadRawPayloads(db: pg.Pool | pg.PoolClient, ids: readonly string[]): Promise<RawPayloadRow[]> {
  if (ids.length === 0) return [];
  const r = await db.query(
    `SELECT id::text, received_at, provider, account_id, binding_id, transport, status, headers, body FROM raw_payload WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
  return r.rows.map((x) => ({
    id: x.id as string,
    receivedAt: x.received_at as Date,
    provider: x.provider as string,
    accountId: x.account_id as number | null,
    bindingId: x.binding_id as number | null,
    transport: x.transport as string,
    status: x.status as string,
    headers: (x.headers as Record<string, string> | null) ?? null,
    body: x.body as string,
  }));
}

export async function markRawProcessed(
  db: pg.Pool | pg.PoolClient,
  ids: string[],
  status: "processed" | "rejected",
  error?: string,
  reasonCode?: string | null,
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE raw_payload SET status = $2, error = coalesce($3, error), reason_code = coalesce($4, reason_code), processed_at = now() WHERE id = ANY($1::bigint[])`,
    [ids, status, error ?? null, reasonCode ?? null],
  );
}
