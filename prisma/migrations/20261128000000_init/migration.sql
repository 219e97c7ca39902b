
-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('admin', 'operator');

-- CreateEnum
CREATE TYPE "MemberRole" AS ENUM ('manager', 'viewer');

-- CreateEnum
CREATE TYPE "ModuleKey" AS ENUM ('telemetry', 'dga', 'reports', 'alerts', 'api');

-- CreateEnum
CREATE TYPE "PointKind" AS ENUM ('groundwater', 'surface', 'surface_flowmeter');

-- CreateEnum
CREATE TYPE "DgaStandard" AS ENUM ('mayor', 'medio', 'menor', 'muy_pequenos');

-- CreateEnum
CREATE TYPE "PointStatus" AS ENUM ('active', 'inactive', 'maintenance');

-- CreateEnum
CREATE TYPE "DgaTransport" AS ENUM ('off', 'shadow', 'live');

-- CreateEnum
CREATE TYPE "LevelMode" AS ENUM ('direct', 'depth_from_install');

-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('tdata', 'tts', 'thethingsio', 'tago', 'custom');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('in_app', 'email', 'webhook');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed', 'read');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('info', 'warning', 'critical');

-- CreateEnum
CREATE TYPE "SlotState" AS ENUM ('empty', 'pending', 'requires_review', 'sending', 'sent', 'rejected', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "AnomalyState" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "client" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "rut" TEXT NOT NULL,
    "contact_name" TEXT,
    "contact_email" TEXT,
    "contact_phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "client_module" (
    "client_id" INTEGER NOT NULL,
    "module" "ModuleKey" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_module_pkey" PRIMARY KEY ("client_id","module")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "staff_role" "StaffRole",
    "active" BOOLEAN NOT NULL DEFAULT true,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership" (
    "user_id" INTEGER NOT NULL,
    "client_id" INTEGER NOT NULL,
    "role" "MemberRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("user_id","client_id")
);

-- CreateTable
CREATE TABLE "capture_point" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PointKind" NOT NULL,
    "obra_code" TEXT,
    "dga_standard" "DgaStandard" NOT NULL DEFAULT 'mayor',
    "granted_flow_lps" DOUBLE PRECISION,
    "annual_volume_m3" DOUBLE PRECISION,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "region" TEXT,
    "shac" TEXT,
    "well_depth_m" DOUBLE PRECISION,
    "sensor_install_depth_m" DOUBLE PRECISION,
    "level_mode" "LevelMode" NOT NULL DEFAULT 'direct',
    "pulse_factor_l" DOUBLE PRECISION,
    "expected_interval_min" INTEGER NOT NULL DEFAULT 60,
    "status" "PointStatus" NOT NULL DEFAULT 'active',
    "dga_transport" "DgaTransport" NOT NULL DEFAULT 'off',
    "informante_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capture_point_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_account" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER,
    "kind" "ProviderKind" NOT NULL,
    "name" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "credentials_enc" TEXT,
    "push_secret_hash" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "last_success_at" TIMESTAMPTZ(3),
    "last_error_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provider_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "point_binding" (
    "id" SERIAL NOT NULL,
    "point_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "device_ref" TEXT NOT NULL,
    "poll_interval_sec" INTEGER NOT NULL DEFAULT 300,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "watermark_at" TIMESTAMPTZ(3),
    "cursor" JSONB,
    "last_success_at" TIMESTAMPTZ(3),
    "last_error_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_class" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "point_binding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "binding_variable" (
    "binding_id" INTEGER NOT NULL,
    "variable" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "scale" DOUBLE PRECISION NOT NULL DEFAULT 1,

    CONSTRAINT "binding_variable_pkey" PRIMARY KEY ("binding_id","variable")
);

-- CreateTable
CREATE TABLE "dga_informante" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "rut" TEXT NOT NULL,
    "password_enc" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dga_informante_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_rule" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "events" TEXT[],
    "channel" "NotificationChannel" NOT NULL,
    "target" TEXT NOT NULL,
    "min_severity" "Severity" NOT NULL DEFAULT 'warning',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER,
    "rule_id" INTEGER,
    "channel" "NotificationChannel" NOT NULL,
    "event" TEXT NOT NULL,
    "severity" "Severity" NOT NULL DEFAULT 'info',
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "group_key" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by_id" INTEGER,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_user_id" INTEGER,
    "actor_api_key_id" INTEGER,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT,
    "client_id" INTEGER,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "anomaly" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "point_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "severity" "Severity" NOT NULL DEFAULT 'warning',
    "state" "AnomalyState" NOT NULL DEFAULT 'open',
    "reason" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "details" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "ack_at" TIMESTAMPTZ(3),
    "ack_by_id" INTEGER,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "anomaly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dga_slot" (
    "id" BIGSERIAL NOT NULL,
    "point_id" INTEGER NOT NULL,
    "slot_at" TIMESTAMPTZ(3) NOT NULL,
    "standard" "DgaStandard" NOT NULL,
    "state" "SlotState" NOT NULL DEFAULT 'empty',
    "flow_lps" DOUBLE PRECISION,
    "totalizer_m3" DOUBLE PRECISION,
    "level_m" DOUBLE PRECISION,
    "height_cm" DOUBLE PRECISION,
    "reasons" TEXT[],
    "receipt" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "verified_at" TIMESTAMPTZ(3),
    "review_note" TEXT,
    "reviewed_by_id" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dga_slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dga_attempt" (
    "id" BIGSERIAL NOT NULL,
    "slot_id" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "http_status" INTEGER,
    "response" TEXT,
    "outcome" TEXT NOT NULL,
    "receipt" TEXT,
    "worker" TEXT,

    CONSTRAINT "dga_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_job" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "status" "ReportStatus" NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "file_name" TEXT,
    "file_path" TEXT,
    "error" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "report_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "client_rut_key" ON "client"("rut");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE INDEX "membership_client_id_idx" ON "membership"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "capture_point_obra_code_key" ON "capture_point"("obra_code");

-- CreateIndex
CREATE INDEX "capture_point_client_id_idx" ON "capture_point"("client_id");

-- CreateIndex
CREATE INDEX "provider_account_client_id_idx" ON "provider_account"("client_id");

-- CreateIndex
CREATE INDEX "point_binding_point_id_idx" ON "point_binding"("point_id");

-- CreateIndex
CREATE UNIQUE INDEX "point_binding_account_id_device_ref_point_id_key" ON "point_binding"("account_id", "device_ref", "point_id");

-- CreateIndex
CREATE UNIQUE INDEX "dga_informante_client_id_rut_key" ON "dga_informante"("client_id", "rut");

-- CreateIndex
CREATE INDEX "notification_rule_client_id_idx" ON "notification_rule"("client_id");

-- CreateIndex
CREATE INDEX "notification_client_id_created_at_idx" ON "notification"("client_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_group_key_idx" ON "notification"("group_key");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "audit_log_client_id_at_idx" ON "audit_log"("client_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log"("entity", "entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "anomaly_dedupe_key_key" ON "anomaly"("dedupe_key");

-- CreateIndex
CREATE INDEX "anomaly_client_id_state_started_at_idx" ON "anomaly"("client_id", "state", "started_at");

-- CreateIndex
CREATE INDEX "anomaly_point_id_started_at_idx" ON "anomaly"("point_id", "started_at");

-- CreateIndex
CREATE INDEX "dga_slot_state_next_attempt_at_idx" ON "dga_slot"("state", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "dga_slot_point_id_slot_at_key" ON "dga_slot"("point_id", "slot_at");

-- CreateIndex
CREATE INDEX "dga_attempt_slot_id_idx" ON "dga_attempt"("slot_id");

-- CreateIndex
CREATE INDEX "report_job_client_id_created_at_idx" ON "report_job"("client_id", "created_at");

-- AddForeignKey
ALTER TABLE "client_module" ADD CONSTRAINT "client_module_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capture_point" ADD CONSTRAINT "capture_point_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capture_point" ADD CONSTRAINT "capture_point_informante_id_fkey" FOREIGN KEY ("informante_id") REFERENCES "dga_informante"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_account" ADD CONSTRAINT "provider_account_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "point_binding" ADD CONSTRAINT "point_binding_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "point_binding" ADD CONSTRAINT "point_binding_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "provider_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "binding_variable" ADD CONSTRAINT "binding_variable_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "point_binding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dga_informante" ADD CONSTRAINT "dga_informante_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_rule" ADD CONSTRAINT "notification_rule_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "notification_rule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "anomaly" ADD CONSTRAINT "anomaly_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "anomaly" ADD CONSTRAINT "anomaly_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dga_slot" ADD CONSTRAINT "dga_slot_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dga_attempt" ADD CONSTRAINT "dga_attempt_slot_id_fkey" FOREIGN KEY ("slot_id") REFERENCES "dga_slot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_job" ADD CONSTRAINT "report_job_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

