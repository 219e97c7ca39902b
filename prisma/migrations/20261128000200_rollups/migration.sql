-- Rollups and processing support for the time-series path (outside Prisma, like 20261128000100_timeseries).

-- Intrinsic quality (from normalisation alone). Assessment always restarts from these, never from its own
-- previous output, so `quality`/`reason` can be recomputed when late data arrive without flags sticking.
ALTER TABLE measurement ADD COLUMN base_quality smallint;
ALTER TABLE measurement ADD COLUMN base_reason text;
ALTER TABLE measurement_conflict ADD COLUMN base_quality smallint;
ALTER TABLE measurement_conflict ADD COLUMN base_reason text;

-- Hourly buckets are UTC hours; daily buckets are America/Santiago calendar days (whole-hour offsets,
-- so a day is exactly a set of UTC hours). Statistics use trusted values only; consumption_m3 is the
-- totalizer volume apportioned to the bucket (null for other variables).
CREATE TABLE measurement_hourly (
  point_id        integer          NOT NULL,
  variable        smallint         NOT NULL,
  bucket          timestamptz      NOT NULL,
  min             double precision,
  max             double precision,
  avg             double precision,
  last            double precision,
  count           integer          NOT NULL,
  excluded        integer          NOT NULL DEFAULT 0,
  consumption_m3  double precision,
  worst_quality   smallint         NOT NULL,
  updated_at      timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (point_id, variable, bucket)
);
CREATE INDEX measurement_hourly_bucket ON measurement_hourly (bucket);

CREATE TABLE measurement_daily (
  point_id        integer          NOT NULL,
  variable        smallint         NOT NULL,
  bucket          timestamptz      NOT NULL,
  min             double precision,
  max             double precision,
  avg             double precision,
  last            double precision,
  count           integer          NOT NULL,
  excluded        integer          NOT NULL DEFAULT 0,
  consumption_m3  double precision,
  worst_quality   smallint         NOT NULL,
  updated_at      timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (point_id, variable, bucket)
);
CREATE INDEX measurement_daily_bucket ON measurement_daily (bucket);

-- Drops monthly partitions of `parent` that end on or before `p_before` (retention). Returns the dropped names.
CREATE OR REPLACE FUNCTION drop_month_partitions_before(parent text, p_before timestamptz) RETURNS SETOF text AS $$
DECLARE
  r record;
  m_end timestamptz;
BEGIN
  FOR r IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = parent AND c.relname ~ ('^' || parent || '_[0-9]{6}$')
  LOOP
    m_end := (to_date(right(r.relname, 6), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    IF m_end <= p_before THEN
      EXECUTE format('DROP TABLE %I', r.relname);
      RETURN NEXT r.relname;
    END IF;
  END LOOP;
END;
$$ LANGUAGE plpgsql;
