#!/usr/bin/env bash
# Usage: tools/prisma6/diff.sh [old.prisma] > migration.sql
# Generates the SQL from the old schema (or empty) to prisma/schema.prisma, offline.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -d "$here/node_modules/prisma" ] || (cd "$here" && npm install --no-audit --no-fund --ignore-scripts >/dev/null 2>&1)
prep() { sed -e 's/provider = "prisma-client"/provider = "prisma-client-js"/' -e '/^datasource db {/,/^}/c\datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}' "$1"; }
prep "$root/prisma/schema.prisma" > "$here/schema.prisma"
from="--from-empty"
if [ $# -ge 1 ]; then prep "$1" > "$here/old.prisma"; from="--from-schema-datamodel old.prisma"; fi
cd "$here"
DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} PRISMA_QUERY_ENGINE_LIBRARY=/bin/true PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
  npx prisma migrate diff $from --to-schema-datamodel schema.prisma --script | grep -v 'CREATE SCHEMA IF NOT EXISTS "public"'
