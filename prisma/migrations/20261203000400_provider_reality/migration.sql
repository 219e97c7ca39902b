-- AlterTable
ALTER TABLE "provider_account" ADD COLUMN     "push_only" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "point_binding" ADD COLUMN     "backfill_cursor" JSONB,
ADD COLUMN     "push_only" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reset_confirm_samples" INTEGER;

-- AlterTable
ALTER TABLE "binding_variable" ADD COLUMN     "error_codes" JSONB;

-- CreateTable
CREATE TABLE "meter_change" (
    "id" SERIAL NOT NULL,
    "point_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "old_final_m3" DOUBLE PRECISION,
    "new_initial_m3" DOUBLE PRECISION NOT NULL,
    "note" TEXT,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meter_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "meter_change_point_id_at_key" ON "meter_change"("point_id", "at");

-- AddForeignKey
ALTER TABLE "meter_change" ADD CONSTRAINT "meter_change_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Raw payloads kept without readings carry a machine-readable reason (decode_failed, simulated, not_uplink, unknown_device, …).
ALTER TABLE raw_payload ADD COLUMN reason_code text;
CREATE INDEX raw_payload_account_rejected ON raw_payload (account_id, received_at) WHERE status = 'rejected';
