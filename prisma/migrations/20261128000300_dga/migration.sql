-- Per-obra pacing (Res. 2.170 §6.1): the submitter finds an obra's most recent POST through the
-- slots it touched recently, without scanning the obra's whole slot history.
-- CreateIndex
CREATE INDEX "dga_slot_point_id_updated_at_idx" ON "dga_slot"("point_id", "updated_at");
