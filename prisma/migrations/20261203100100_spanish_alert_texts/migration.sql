-- Alert texts written before issue #19 carried variable codes and point decimals
-- ("Caudal negativo (-0.28 L/s)", "7 pico(s) en flow"); rewritten as the rules now word them.
-- Data only: no schema change. Applies to open and past anomalies and to their notification copies.
CREATE FUNCTION pg_temp.spanish_reason(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(
    regexp_replace(
      replace(replace(replace(replace(replace(replace(replace(replace(
        replace(t, ' pico(s) en ', ' picos en '),
        ' en water_table', ' en nivel freático'),
        ' en totalizer', ' en totalizador'),
        ' en level', ' en nivel del sensor'),
        ' en flow', ' en caudal'),
        '(water_table)', '(nivel freático)'),
        '(totalizer)', '(totalizador)'),
        '(level)', '(nivel del sensor)'),
        '(flow)', '(caudal)'),
      '^1 picos en ', '1 pico en '),
    '(\d)\.(\d)', '\1,\2', 'g')
$$;

UPDATE "anomaly"
SET "reason" = pg_temp.spanish_reason("reason")
WHERE "reason" IS NOT NULL AND pg_temp.spanish_reason("reason") <> "reason"
  AND "type" IN ('negative_flow', 'spike', 'flow_above_granted', 'level_drop', 'error_code');

UPDATE "notification"
SET "body" = pg_temp.spanish_reason("body")
WHERE pg_temp.spanish_reason("body") <> "body"
  AND "event" IN ('negative_flow', 'spike', 'flow_above_granted', 'level_drop', 'error_code');

DROP FUNCTION pg_temp.spanish_reason(TEXT);
