/** Column order shared by the staging table and the binary COPY of measurement rows. */
export const MEASUREMENT_COLUMNS =
  "point_id, variable, ts, value, raw_value, raw_unit, quality, reason, source, raw_id, base_quality, base_reason";
