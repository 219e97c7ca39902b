#!/usr/bin/env bash
# The whole test suite: typecheck, lint, unit, integration (real PostgreSQL + Redis, fresh DB per
# run), faults (restarts those services) and browser end-to-end (Debian's chromium). Same command locally and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
[ -d generated/prisma ] || npm run db:generate >/dev/null
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint . --max-warnings 0
echo "== format"; npx prettier --check . >/dev/null
echo "== knip"; npm run --silent knip
echo "== unit"; npx vitest run --project unit
echo "== integration"; npx vitest run --project integration
echo "== faults"; npx vitest run --project faults
if [ "${SKIP_E2E:-0}" != "1" ]; then
  echo "== e2e"; npx vitest run --project e2e
fi
if [ "${SKIP_BENCH:-0}" != "1" ]; then
  # Quick benchmark profiles: fail only when a figure is more than 3× worse than its documented quick value.
  echo "== bench (quick)"; npx tsx bench/main.ts --quick
fi
