-- The raw sweeper looks for accepted payloads that were never processed; keep that lookup cheap.
CREATE INDEX raw_payload_unprocessed ON raw_payload (received_at) WHERE processed_at IS NULL;

-- Moving rows out of the default partition raced with concurrent inserts into it ("updated partition
-- constraint for default partition would be violated"): lock the default partition first.
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
  BEGIN
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', parent || '_default');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                   parent || '_default', key_col, key_col, part) USING m_start, m_end;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, m_start, m_end);
  EXCEPTION WHEN duplicate_table OR duplicate_object THEN
    RETURN part;
  END;
  RETURN part;
END;
$$ LANGUAGE plpgsql;
