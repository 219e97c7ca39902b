-- Forecast settings per capture point (issue #20): water-year start, pump intake depth, alert lead time.
-- AlterTable
ALTER TABLE "capture_point" ADD COLUMN     "forecast_lead_days" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "pump_intake_depth_m" DOUBLE PRECISION,
ADD COLUMN     "water_year_start_month" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "capture_point" ADD CONSTRAINT capture_point_water_year_start_month_check CHECK (water_year_start_month BETWEEN 1 AND 12);
ALTER TABLE "capture_point" ADD CONSTRAINT capture_point_forecast_lead_days_check CHECK (forecast_lead_days BETWEEN 1 AND 365);
