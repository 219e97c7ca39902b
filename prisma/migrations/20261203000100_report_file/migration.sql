-- Report files move from the reports worker's disk (REPORTS_DIR) into PostgreSQL (ADR 0008), so every web
-- replica can serve them. Files written before this migration stay on the old volume and are not imported:
-- their downloads answer 404 and the report can be generated again.
ALTER TABLE "report_job" DROP COLUMN "file_path";

CREATE TABLE "report_file" (
    "report_id" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_file_pkey" PRIMARY KEY ("report_id")
);

ALTER TABLE "report_file" ADD CONSTRAINT "report_file_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "report_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
