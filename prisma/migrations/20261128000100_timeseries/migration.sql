-- Time-series tables, outside Prisma: written in batches with COPY through `pg`, read with SQL.
-- See docs/adr/0001-postgres-for-measurements.md.

-- Creates the monthly partition of `parent` holding `p_month`, moving any rows that had fallen
-- into the parent's default partition for that month (so a late or far-off timestamp is never lost).
CREATE OR REPLACE FUNCTION ensure_month_partition(parent text, p_month timestamptz) RETURNS text AS $$
DECLARE
  m_start timestamptz := date_trunc('month', p_month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  m_end   timestamptz := (date_trunc('month', p_month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  part    text := parent || '_' || to_char(p_month AT TIME ZONE 'UTC', 'YYYYMM');
  key_col text := CASE parent WHEN 'raw_payload' THEN 'received_at' ELSE 'ts' END;
BEGIN
  IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;
  PERFORM pg_advisory_xact_lock(hashtext(part));
  IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                 parent || '_default', key_col, key_col, part) USING m_start, m_end;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, m_start, m_end);
  RETURN part;
END;
$$ LANGUAGE plpgsql;

-- One row per point, variable and instant. variable: 1 flow (L/s), 2 totalizer (m3), 3 level (m),
-- 4 water-table depth (m). quality codes are defined in domain/measurements/quality.ts.
CREATE TABLE measurement (
  point_id    integer          NOT NULL,
  variable    smallint         NOT NULL,
  ts          timestamptz      NOT NULL,
  value       double precision,
  raw_value   text,
  raw_unit    text,
  quality     smallint         NOT NULL DEFAULT 0,
  reason      text,
  source      text             NOT NULL,
  raw_id      bigint,
  ingested_at timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (point_id, variable, ts)
) PARTITION BY RANGE (ts);
CREATE TABLE measurement_default PARTITION OF measurement DEFAULT;

-- Same key, different value: both are kept; the first stays in `measurement`, later ones here.
CREATE TABLE measurement_conflict (
  id          bigserial PRIMARY KEY,
  point_id    integer          NOT NULL,
  variable    smallint         NOT NULL,
  ts          timestamptz      NOT NULL,
  value       double precision,
  raw_value   text,
  raw_unit    text,
  source      text             NOT NULL,
  raw_id      bigint,
  seen_at     timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX measurement_conflict_point_ts ON measurement_conflict (point_id, ts);
CREATE UNIQUE INDEX measurement_conflict_dedupe ON measurement_conflict (point_id, variable, ts, coalesce(raw_value, ''), source);

-- Corrections are overlays with an audit trail; the raw row is never overwritten.
CREATE TABLE measurement_correction (
  id          bigserial PRIMARY KEY,
  point_id    integer          NOT NULL,
  variable    smallint         NOT NULL,
  ts          timestamptz      NOT NULL,
  value       double precision,
  quality     smallint         NOT NULL,
  reason      text             NOT NULL,
  actor       text             NOT NULL,
  created_at  timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX measurement_correction_key ON measurement_correction (point_id, variable, ts);

-- Every payload, pulled or pushed, stored before anything else so processing can be replayed.
CREATE TABLE raw_payload (
  id          bigserial,
  received_at timestamptz NOT NULL DEFAULT now(),
  provider    text        NOT NULL,
  account_id  integer,
  binding_id  integer,
  transport   text        NOT NULL,
  status      text        NOT NULL DEFAULT 'accepted',
  error       text,
  headers     jsonb,
  body        text        NOT NULL,
  processed_at timestamptz,
  PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE raw_payload_default PARTITION OF raw_payload DEFAULT;
CREATE INDEX raw_payload_binding ON raw_payload (binding_id, received_at);
