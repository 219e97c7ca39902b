-- Sign-out and password change bump it; sessions and REST tokens issued under an older version stop working.
ALTER TABLE "app_user" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 0;
