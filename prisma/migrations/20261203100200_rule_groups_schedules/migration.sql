-- Alert rules per group of points, schedules, and built-in rules as editable defaults (issue #20).
-- CreateTable
CREATE TABLE "point_group" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "point_group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "point_group_member" (
    "point_id" INTEGER NOT NULL,
    "group_id" INTEGER NOT NULL,

    CONSTRAINT "point_group_member_pkey" PRIMARY KEY ("point_id")
);

-- CreateTable
CREATE TABLE "builtin_rule_override" (
    "id" SERIAL NOT NULL,
    "client_id" INTEGER NOT NULL,
    "group_id" INTEGER,
    "point_id" INTEGER,
    "scope_key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "params" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "builtin_rule_override_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "builtin_rule_override_target_check" CHECK ("group_id" IS NULL OR "point_id" IS NULL)
);

-- AlterTable
ALTER TABLE "alert_rule" ADD COLUMN "group_id" INTEGER,
ADD COLUMN "schedule" JSONB,
ADD CONSTRAINT "alert_rule_target_check" CHECK ("group_id" IS NULL OR "point_id" IS NULL);

-- CreateIndex
CREATE UNIQUE INDEX "point_group_client_id_name_key" ON "point_group"("client_id", "name");

-- CreateIndex
CREATE INDEX "point_group_member_group_id_idx" ON "point_group_member"("group_id");

-- CreateIndex
CREATE UNIQUE INDEX "builtin_rule_override_client_id_scope_key_type_key" ON "builtin_rule_override"("client_id", "scope_key", "type");

-- AddForeignKey
ALTER TABLE "point_group" ADD CONSTRAINT "point_group_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "point_group_member" ADD CONSTRAINT "point_group_member_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "point_group_member" ADD CONSTRAINT "point_group_member_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "point_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "point_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "builtin_rule_override" ADD CONSTRAINT "builtin_rule_override_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "builtin_rule_override" ADD CONSTRAINT "builtin_rule_override_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "point_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "builtin_rule_override" ADD CONSTRAINT "builtin_rule_override_point_id_fkey" FOREIGN KEY ("point_id") REFERENCES "capture_point"("id") ON DELETE CASCADE ON UPDATE CASCADE;
