-- Report files move from the reports worker's disk (REPORTS_DIR) into PostgreSQL (ADR 0008), so every web
-- replica can serve them. Expand only: report_job.file_path stays (unused) for the previous release's pods
-- during the rollout. Files written before this release are not imported: their downloads answer 404 and
-- the report can be generated again.
CREATE TABLE "report_file" (
    "report_id" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_file_pkey" PRIMARY KEY ("report_id")
);

ALTER TABLE "report_file" ADD CONSTRAINT "report_file_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "report_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
