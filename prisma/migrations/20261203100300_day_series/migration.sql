-- Read-optimised layout for history reads (issue #18, docs/adr/0007 + 0012): one row per point, variable and
-- America/Santiago month holding that month's daily rollups as one JSON array of
-- [day_start_ms, min, max, avg, last, count, excluded, consumption_m3, worst_quality] tuples, so a year of
-- one point reads ~36 rows instead of ~1,100. jsonb rather than float8[] columns: node-postgres parses
-- json with the native JSON.parse, arrays element by element in JavaScript.
-- measurement_daily stays the source of truth; refresh_day_series() rebuilds the given months from it and is
-- called in the processor's transaction (server/timeseries/store.ts upsertRollups) and by rebuildRollups.

CREATE TABLE measurement_day_series (
  point_id    integer      NOT NULL,
  variable    smallint     NOT NULL,
  month       timestamptz  NOT NULL,
  days        jsonb        NOT NULL,
  updated_at  timestamptz  NOT NULL DEFAULT now(),
  PRIMARY KEY (point_id, variable, month)
);

-- Rebuilds the rows of the given (point, variable, Santiago month start) keys from measurement_daily;
-- a key whose month has no daily row left loses its row.
CREATE FUNCTION refresh_day_series(p_points integer[], p_variables smallint[], p_months timestamptz[])
RETURNS void LANGUAGE sql AS $$
  WITH k AS (
    SELECT DISTINCT point_id, variable, month FROM unnest(p_points, p_variables, p_months) AS k(point_id, variable, month)
  ), built AS (
    SELECT k.point_id, k.variable, k.month,
           jsonb_agg(jsonb_build_array((extract(epoch FROM d.bucket) * 1000)::float8, d.min, d.max, d.avg, d.last, d.count,
                                       d.excluded, d.consumption_m3, d.worst_quality) ORDER BY d.bucket) AS days
    FROM k JOIN measurement_daily d ON d.point_id = k.point_id AND d.variable = k.variable AND d.bucket >= k.month
      AND d.bucket < ((k.month AT TIME ZONE 'America/Santiago') + interval '1 month') AT TIME ZONE 'America/Santiago'
    GROUP BY k.point_id, k.variable, k.month
  ), gone AS (
    DELETE FROM measurement_day_series s USING k
    WHERE s.point_id = k.point_id AND s.variable = k.variable AND s.month = k.month
      AND NOT EXISTS (SELECT 1 FROM built b WHERE b.point_id = k.point_id AND b.variable = k.variable AND b.month = k.month)
  )
  INSERT INTO measurement_day_series AS t (point_id, variable, month, days)
  SELECT point_id, variable, month, days FROM built
  ON CONFLICT (point_id, variable, month) DO UPDATE SET days = EXCLUDED.days, updated_at = now();
$$;

-- Backfill from the daily rollups already stored.
SELECT refresh_day_series(array_agg(point_id), array_agg(variable), array_agg(month))
FROM (SELECT DISTINCT point_id, variable, date_trunc('month', bucket, 'America/Santiago') AS month FROM measurement_daily) m;

-- The same for hourly buckets: one row per point, variable and UTC day holding that day's hourly rollups
-- ([hour_start_ms, min, max, avg, last, count, excluded, consumption_m3, worst_quality] tuples), so 30 days
-- of hourly history read ~90 rows instead of ~2,200.
CREATE TABLE measurement_hour_series (
  point_id    integer      NOT NULL,
  variable    smallint     NOT NULL,
  day         timestamptz  NOT NULL,
  hours       jsonb        NOT NULL,
  updated_at  timestamptz  NOT NULL DEFAULT now(),
  PRIMARY KEY (point_id, variable, day)
);

CREATE FUNCTION refresh_hour_series(p_points integer[], p_variables smallint[], p_days timestamptz[])
RETURNS void LANGUAGE sql AS $$
  WITH k AS (
    SELECT DISTINCT point_id, variable, day FROM unnest(p_points, p_variables, p_days) AS k(point_id, variable, day)
  ), built AS (
    SELECT k.point_id, k.variable, k.day,
           jsonb_agg(jsonb_build_array((extract(epoch FROM h.bucket) * 1000)::float8, h.min, h.max, h.avg, h.last, h.count,
                                       h.excluded, h.consumption_m3, h.worst_quality) ORDER BY h.bucket) AS hours
    FROM k JOIN measurement_hourly h ON h.point_id = k.point_id AND h.variable = k.variable
      AND h.bucket >= k.day AND h.bucket < k.day + interval '1 day'
    GROUP BY k.point_id, k.variable, k.day
  ), gone AS (
    DELETE FROM measurement_hour_series s USING k
    WHERE s.point_id = k.point_id AND s.variable = k.variable AND s.day = k.day
      AND NOT EXISTS (SELECT 1 FROM built b WHERE b.point_id = k.point_id AND b.variable = k.variable AND b.day = k.day)
  )
  INSERT INTO measurement_hour_series AS t (point_id, variable, day, hours)
  SELECT point_id, variable, day, hours FROM built
  ON CONFLICT (point_id, variable, day) DO UPDATE SET hours = EXCLUDED.hours, updated_at = now();
$$;

SELECT refresh_hour_series(array_agg(point_id), array_agg(variable), array_agg(day))
FROM (SELECT DISTINCT point_id, variable, date_trunc('day', bucket, 'UTC') AS day FROM measurement_hourly) m;
