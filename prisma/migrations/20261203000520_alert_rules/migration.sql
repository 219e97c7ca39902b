-- User-tuned alert rules and their per-point episode state (issue #20).
-- CreateTable
CREATE TABLE "alert_rule" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "point_id" INTEGER,
    "name" TEXT NOT NULL,
    "variable" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "duration_min" INTEGER NOT NULL DEFAULT 0,
    "hysteresis" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "severity" "Severity" NOT NULL DEFAULT 'warning',
    "channels" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule_state" (
    "rule_id" INTEGER NOT NULL,
    "point_id" INTEGER NOT NULL,
    "pending_since" TIMESTAMPTZ(3),
    "firing_since" TIMESTAMPTZ(3),
    "last_ts" TIMESTAMPTZ(3),
    "last_value" DOUBLE PRECISION,
    "anomaly_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rule_state_pkey" PRIMARY KEY ("rule_id","point_id")
);

-- CreateIndex
CREATE INDEX "alert_rule_client_id_idx" ON "alert_rule"("client_id");

-- CreateIndex
CREATE INDEX "alert_rule_point_id_idx" ON "alert_rule"("point_id");

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_state" ADD CONSTRAINT "alert_rule_state_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

