#!/usr/bin/env bash
# Starts the whole product with demo data on this machine: PostgreSQL and Redis (if down),
# migrations, the provider and DGA simulators, demo seed, workers and the portal on :3000.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log

bash scripts/services.sh

if [ ! -f .env ]; then
  echo "· creating .env with fresh secrets (from .env.example)"
  sed -e "s|^AUTH_SECRET=.*|AUTH_SECRET=$(openssl rand -hex 32)|" \
      -e "s|^ENCRYPTION_KEY=.*|ENCRYPTION_KEY=$(openssl rand -hex 32)|" \
      -e "s|^METRICS_TOKEN=.*|METRICS_TOKEN=$(openssl rand -hex 16)|" .env.example > .env
fi
set -a; . ./.env; set +a

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "· installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
[ -d generated/prisma ] || npm run db:generate >/dev/null

echo "· migrating ${DATABASE_URL%%\?*}"
npx tsx scripts/migrate.ts

if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components server domain -newer .next/BUILD_ID -name '*.ts*' -print -quit)" ]; then
  echo "· building the portal (next build)"
  npx next build > var/log/build.log 2>&1 || { tail -40 var/log/build.log; exit 1; }
fi

pids=()
cleanup() { echo; echo "· stopping"; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

echo "· seeding demo data"
npx tsx scripts/seed-demo.ts --production-demo | tee var/log/seed.log || echo "· demo seed skipped (see the message above)"

# The simulators also push (TTS webhook, Tago HTTP action) to the portal's ingest endpoints.
export SIM_PUSH_TARGET="http://127.0.0.1:3000"
SIM_TTS_WEBHOOK_PATH=$(sed -n 's/.*push tts: POST //p' var/log/seed.log); export SIM_TTS_WEBHOOK_PATH
SIM_TAGO_ACTION_PATH=$(sed -n 's/.*push tago: POST //p' var/log/seed.log); export SIM_TAGO_ACTION_PATH
echo "· starting simulators (providers :4011-4014, DGA sandbox :4010)"
npx tsx simulators/main.ts > var/log/simulators.log 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:4010/__admin/records >/dev/null 2>&1 && break; sleep 0.5; done

echo "· starting workers"
npx tsx workers/main.ts > var/log/workers.log 2>&1 & pids+=($!)

echo "· starting the portal on ${APP_URL}"
node node_modules/next/dist/bin/next start -H 127.0.0.1 -p 3000 > var/log/web.log 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:3000/api/health?probe=live" >/dev/null 2>&1 && break; sleep 0.5; done

npx tsx scripts/print-credentials.ts
echo "Logs in var/log/. Press Ctrl-C to stop."
wait
