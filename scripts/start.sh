#!/usr/bin/env bash
# Starts the whole product with demo data on this machine, run the way production runs it: the Next.js
# standalone server and the bundled workers/CLI (`npm run build`, redone when sources change), against
# PostgreSQL and Redis (started if down), with the provider and DGA simulators on loopback.
# Ctrl-C (or SIGTERM) stops everything it started. Safe to run again: migrations and the seed are idempotent.
# Variables already set in the environment win over .env (e.g. DATABASE_URL=… ./scripts/start.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log

bash scripts/services.sh

# The build tools (TypeScript, Prisma CLI, esbuild) are dev dependencies: install them whatever NODE_ENV
# says. What runs afterwards is built JavaScript that needs only the production dependencies.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "· installing dependencies (npm ci)"
  npm ci --include=dev --no-audit --no-fund
fi
[ -d generated/prisma ] || npm run db:generate >/dev/null

if [ ! -f .env ]; then
  echo "· creating .env with fresh secrets (from .env.example)"
  sed -e "s|^AUTH_SECRET=.*|AUTH_SECRET=$(openssl rand -hex 32)|" \
      -e "s|^ENCRYPTION_KEY=.*|ENCRYPTION_KEY=$(openssl rand -hex 32)|" \
      -e "s|^METRICS_TOKEN=.*|METRICS_TOKEN=$(openssl rand -hex 16)|" .env.example > .env
fi
while IFS= read -r line; do
  [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
  [ -n "${!BASH_REMATCH[1]+set}" ] || export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
done < .env
WEB_PORT=${WEB_PORT:-3000}

stale=$( [ -f dist/BUILD_INFO.json ] && [ -f .next/standalone/server.js ] \
  && find app components server domain workers cli simulators scripts config prisma public next.config.ts package-lock.json \
       -newer dist/BUILD_INFO.json -type f -print -quit 2>/dev/null || echo missing)
if [ -n "$stale" ]; then
  echo "· building (next build + bundled workers and CLI; log in var/log/build.log)"
  npm run build > var/log/build.log 2>&1 || { tail -40 var/log/build.log; exit 1; }
fi

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo; echo "· stopping"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "· migrating ${DATABASE_URL%%\?*}"
node dist/app/cli.mjs migrate

echo "· seeding demo data"
# A demo installation built for production: seed-demo refuses NODE_ENV=production without the flag,
# and refuses a database holding non-demo data (the start then goes on without seeding).
node dist/app/cli.mjs seed-demo --production-demo | tee var/log/seed.log || echo "· demo seed skipped (see the message above)"

# Pushes (TTS webhook, Tago HTTP action) go to the ingest gateway, as in production (ADR 0011); the portal
# serves the same endpoints too.
INGEST_PORT=${INGEST_PORT:-3100}; export INGEST_PORT
echo "· starting the ingest gateway on :${INGEST_PORT}"
node dist/app/ingest.mjs > var/log/ingest.log 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${INGEST_PORT}/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
export SIM_PUSH_TARGET="http://127.0.0.1:${INGEST_PORT}"
SIM_TTS_WEBHOOK_PATH=$(sed -n 's/.*push tts: POST //p' var/log/seed.log); export SIM_TTS_WEBHOOK_PATH
SIM_TAGO_ACTION_PATH=$(sed -n 's/.*push tago: POST //p' var/log/seed.log); export SIM_TAGO_ACTION_PATH
echo "· starting simulators (providers :4011-4014, DGA sandbox :4010)"
node dist/demo/simulators.mjs > var/log/simulators.log 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:4010/__admin/records >/dev/null 2>&1 && break; sleep 0.5; done

# Bearer clients (mobile app, integrations) get /api/v1 from the REST API process in production (ADR 0014);
# the portal answers the same paths too.
API_PORT=${API_PORT:-3200}; export API_PORT
echo "· starting the REST API on :${API_PORT}"
node dist/app/api.mjs > var/log/api.log 2>&1 & pids+=($!)

echo "· starting workers"
node dist/app/workers.mjs > var/log/workers.log 2>&1 & pids+=($!)

echo "· starting the portal on ${APP_URL}"
PORT=$WEB_PORT HOSTNAME=127.0.0.1 node .next/standalone/server.js > var/log/web.log 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${WEB_PORT}/api/health?probe=live" >/dev/null 2>&1 && break; sleep 0.5; done

echo
echo "SmartHydro is running at ${APP_URL} (demo users above)"
echo "API docs: ${APP_URL}/api-docs · OpenAPI: ${APP_URL}/api/v1/openapi.json · health: ${APP_URL}/api/health"
echo "REST API process: http://127.0.0.1:${API_PORT}/api/v1 · ingest gateway: http://127.0.0.1:${INGEST_PORT}/api/v1/ingest/"
echo "Logs in var/log/. Press Ctrl-C to stop."
wait
