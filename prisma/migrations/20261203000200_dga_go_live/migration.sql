-- Issue 14: a point's DGA obligation starts at its go-live instant, and every boundary of its standard from
-- then on is owed whatever ran or did not. dga_slots_complete_until is the catch-up cursor of the cycle:
-- every owed boundary before it has a dga_slot row (NULL = walk again from go-live).
ALTER TABLE "capture_point" ADD COLUMN     "dga_go_live_at" TIMESTAMPTZ(3),
ADD COLUMN     "dga_slots_complete_until" TIMESTAMPTZ(3);

-- Backfill for points already live: the go-live is their earliest slot that was not closed at a shadow → live
-- cut-over (the first hour SmartHydro owned); without such a slot, the liveFrom of the latest audited switch to
-- live; without either, the migration instant (nothing before it can be shown to be ours). The cursor stays
-- NULL, so the first cycles re-walk each point's history from go-live and create any slot an earlier outage lost.
UPDATE "capture_point" p SET "dga_go_live_at" = COALESCE(
  (SELECT min(s.slot_at) FROM "dga_slot" s
    WHERE s.point_id = p.id AND NOT (s.state = 'skipped' AND 'shadow_before_cutover' = ANY(s.reasons))),
  (SELECT (a.after ->> 'liveFrom')::timestamptz FROM "audit_log" a
    WHERE a.entity = 'capture_point' AND a.entity_id = p.id::text AND a.after ->> 'dgaTransport' = 'live' AND a.after ? 'liveFrom'
    ORDER BY a.id DESC LIMIT 1),
  now())
WHERE p.dga_transport = 'live';

-- Rows are never deleted by the product; if one is removed by hand, the cursor moves back to it so the next
-- cycle recreates the hole (and the owed-without-row metric shows it meanwhile).
CREATE OR REPLACE FUNCTION dga_slot_hole_rewind() RETURNS trigger AS $$
BEGIN
  UPDATE capture_point SET dga_slots_complete_until = OLD.slot_at
  WHERE id = OLD.point_id AND dga_slots_complete_until > OLD.slot_at;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dga_slot_hole_rewind AFTER DELETE ON "dga_slot" FOR EACH ROW EXECUTE FUNCTION dga_slot_hole_rewind();
