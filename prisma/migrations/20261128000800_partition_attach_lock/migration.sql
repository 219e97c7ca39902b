-- An insert that routed a row to the default partition just before ensure_month_partition attached the
-- new month failed with "violates partition constraint" (seen at first start and at month turns; test
-- partitions.int "inserts racing the creation of their month"). The parent is now locked against writes
-- (SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE every INSERT takes first) during create + move +
-- attach: the function first waits for open write transactions on the parent (a processor batch, seconds
-- at most), then new inserts wait the few milliseconds it takes and route to the new partition. This
-- happens once per table and month (partitions are created ahead by the maintenance worker).
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
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', parent);
  BEGIN
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
